/**
 * A class's roster: who each learner token belongs to. The same file the Kubernetes overlay reads
 * (`k8s/overlays/classroom/roster.csv`), so one roster serves a pod per student and a runtime the
 * class shares:
 *
 *   roster  = line*
 *   line    = blank | "#" comment | student "," token
 *   student = [a-z][a-z0-9_]{0,39}, not starting with "pg_"      (unique)
 *   token   = 8 to 200 characters, no comma or blank              (unique)
 *
 * A runtime given a roster (`STREAMLAB_ROSTER`) accepts each student's token as well as its own
 * shared one, knows which student each connection is, and names the dashboard's rows by student.
 */
import { tokenMatches } from './auth.js';

/** One student of the roster. */
export interface RosterEntry {
  student: string;
  token: string;
}

/** A roster line that cannot be used, with its line number. */
export class RosterError extends Error {
  override name = 'RosterError';
}

const STUDENT = /^[a-z][a-z0-9_]{0,39}$/;
const TOKEN = /^[^\s,]{8,200}$/;

/** Parses a roster's text; throws a {@link RosterError} naming the first bad line. */
export function parseRoster(text: string): RosterEntry[] {
  const out: RosterEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const at = `roster line ${i + 1}`;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 2) throw new RosterError(`${at}: expected "student,token", got ${cells.length} field${cells.length === 1 ? '' : 's'}`);
    const [student, token] = cells as [string, string];
    if (!STUDENT.test(student) || student.startsWith('pg_')) {
      throw new RosterError(`${at}: "${student}" is not a student name (lowercase letters, digits and _, starting with a letter, at most 40, not pg_…)`);
    }
    if (!TOKEN.test(token)) throw new RosterError(`${at}: ${student}'s token must be 8 to 200 characters without blanks or commas`);
    if (out.some((e) => e.student === student)) throw new RosterError(`${at}: ${student} is on the roster twice`);
    if (out.some((e) => e.token === token)) throw new RosterError(`${at}: ${student}'s token is another student's too`);
    out.push({ student, token });
  });
  return out;
}

/**
 * Who a learner token is: a roster student's name, `null` for the runtime's shared token, `undefined`
 * when it is neither (refused). Every token is compared, in constant time each.
 */
export function learnerOf(given: unknown, shared: string, roster: readonly RosterEntry[]): string | null | undefined {
  let found: string | null | undefined = tokenMatches(shared, given) ? null : undefined;
  for (const e of roster) if (tokenMatches(e.token, given) && found === undefined) found = e.student;
  return found;
}
