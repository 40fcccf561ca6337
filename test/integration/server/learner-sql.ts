/**
 * A learner program that runs each SQL statement with its own SlickSession and prints what happened:
 * "ran: <statement>" or "refused: <PostgreSQL's message>", one line per statement.
 */
export function sqlProgram(statements: string[]): string {
  return `import { Slick, SlickSession, sqlu } from "streamlab";

export async function main(): Promise<void> {
  const session = SlickSession.forConfig("slick-postgres");
  for (const text of ${JSON.stringify(statements)}) {
    try {
      await session.db.run(sqlu\`\${Slick.literal(text)}\`);
      console.log("ran: " + text);
    } catch (e) {
      console.log("refused: " + String((e as { message?: unknown }).message ?? e));
    }
  }
  await session.close();
}
`;
}
