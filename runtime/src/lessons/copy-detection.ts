/**
 * Possible copies among submissions that built the same plans (plan-groups.ts): two submissions are
 * flagged when their texts, normalised, are near-identical. Pure: no `node:*`.
 *
 *   normalising      comments and layout go; a line the lesson's starter files also have (names aside)
 *                    goes, so what every learner was given does not make them alike; names a submission
 *                    chooses are numbered in the order they first appear (`const totals` and `const t`
 *                    are the same), names after a `.` (methods, fields) stay, and so do strings and numbers
 *   alike            1 − (token edit distance ÷ the longer submission's tokens): 1 is the same text
 *   flagged          at least `COPY_SIMILARITY` alike, and both have at least `MIN_OWN_TOKENS` tokens of
 *                    their own (a starter handed in almost as given is nobody's copy)
 *
 * A flag is a reason to look, not a verdict: the instructor reads the pair side by side.
 */

/** How alike two normalised submissions must be to be flagged. */
export const COPY_SIMILARITY = 0.9;
/** How many tokens of its own (beyond the starter) a submission needs before it can be flagged. */
export const MIN_OWN_TOKENS = 20;
/** Tokens compared at most per submission (the edit distance grows with the product of two lengths). */
const MAX_TOKENS = 3000;

const KEYWORDS = new Set(('abstract as async await break case catch class const continue debugger default delete do else enum export extends false finally for from function if implements import in instanceof interface let new null of private protected public readonly return static super switch this throw true try type typeof undefined var void while with yield').split(' '));

/** A submission's file, as the protocol carries it. */
export interface CodeFile {
  path: string;
  content: string;
}

/** The tokens of one line of code, comments dropped, names as written. */
function lineTokens(source: string): string[][] {
  const lines: string[][] = [[]];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|(['"`])(?:\\[\s\S]|(?!\1)[^\\])*\1?|[A-Za-z_$][\w$]*|\d[\w.]*|\n|\s+|=>|===|!==|==|!=|<=|>=|&&|\|\||\?\?|\?\.|\.\.\.|\S/g;
  for (const m of source.matchAll(re)) {
    const t = m[0];
    if (t === '\n') lines.push([]);
    else if (t.startsWith('//') || t.startsWith('/*')) {
      // A block comment may span lines; the lines it spans hold no tokens.
      for (let i = 0; i < (t.match(/\n/g)?.length ?? 0); i++) lines.push([]);
    } else if (/^\s+$/.test(t)) continue;
    else {
      const breaks = t.match(/\n/g)?.length ?? 0;
      lines[lines.length - 1]!.push(t.startsWith("'") || t.startsWith('"') ? `"${t.slice(1, -1)}"` : t);
      for (let i = 0; i < breaks; i++) lines.push([]);
    }
  }
  return lines.filter((l) => l.length > 0);
}

/**
 * A submission's normalised tokens: its files in path order, without comments, layout and the lines
 * of the starter, names it chooses numbered by first appearance.
 */
export function normalisedTokens(files: readonly CodeFile[], starter: Readonly<Record<string, string>> = {}): string[] {
  // A starter line with other names is still the starter's line.
  const given = new Set(Object.values(starter).flatMap((s) => lineTokens(s).map(shape)));
  const names = new Map<string, string>();
  const out: string[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    for (const line of lineTokens(file.content)) {
      if (given.has(shape(line))) continue;
      line.forEach((t, i) => {
        if (isName(line, i) && !names.has(t)) names.set(t, `#${names.size}`);
        out.push(isName(line, i) ? names.get(t)! : t);
      });
    }
  }
  return out.slice(0, MAX_TOKENS);
}

/** Whether the line's i-th token is a name the learner could choose (not a keyword, a method or a field). */
function isName(line: readonly string[], i: number): boolean {
  return /^[A-Za-z_$]/.test(line[i]!) && !KEYWORDS.has(line[i]!) && line[i - 1] !== '.' && line[i - 1] !== '?.';
}

/** A line with every chosen name as `#`. */
function shape(line: readonly string[]): string {
  return line.map((t, i) => (isName(line, i) ? '#' : t)).join(' ');
}

/** 1 − token edit distance ÷ the longer length; 1 for two empty submissions. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return 1 - prev[b.length]! / Math.max(a.length, b.length);
}

/** A pair of submissions flagged as possible copies. */
export interface CopyPair {
  a: string;
  b: string;
  /** How alike they are once normalised, 0 to 1, rounded to two places. */
  similarity: number;
}

/**
 * The pairs among `members` (one plan group's submissions, each with its normalised tokens) that are
 * near-identical: most alike first, then by name. `alike` may cache pairs.
 */
export function possibleCopies<M extends { student: string; tokens: readonly string[] }>(
  members: readonly M[],
  alike: (a: M, b: M) => number = (a, b) => similarity(a.tokens, b.tokens),
): CopyPair[] {
  const pairs: CopyPair[] = [];
  const sorted = [...members].filter((m) => m.tokens.length >= MIN_OWN_TOKENS).sort((x, y) => x.student.localeCompare(y.student));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const s = alike(sorted[i]!, sorted[j]!);
      if (s >= COPY_SIMILARITY) pairs.push({ a: sorted[i]!.student, b: sorted[j]!.student, similarity: Math.floor(s * 100) / 100 });
    }
  }
  return pairs.sort((x, y) => y.similarity - x.similarity || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}
