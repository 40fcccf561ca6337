/**
 * A lesson's checks and its points, kept in step. Points are keyed by check id (`check('late-kept', …)`
 * in `check.test.ts`, `points: { late-kept: 2 }` in `lesson.md`); an id in one place and not in the
 * other is an error when the lesson loads and when its check file runs, never a check quietly worth
 * another number of points.
 *
 *   check.test.ts source → checkIdsIn → ids in file order
 *   (ids, front matter points) → checkPointsProblems → one sentence per mismatch ([] when in step)
 */

/** A line that calls `check(` with its first argument: the id, when it is a string literal. */
const CHECK_CALL = /^[ \t]*check\(\s*(?:(['"])([^'"\n]*)\1|([^,)\n]*))/gm;

/** The ids a check file declares, in order; throws when a `check(` call's id is not a string literal. */
export function checkIdsIn(source: string, file: string): string[] {
  const ids: string[] = [];
  for (const m of source.matchAll(CHECK_CALL)) {
    if (m[2] === undefined) {
      const line = source.slice(0, m.index).split('\n').length;
      throw new Error(`${file}:${line}: a check's id is a string literal (check('update-averages', …)), so the points can be matched to it; found ${m[3]!.trim() || 'nothing'}`);
    }
    ids.push(m[2]);
  }
  return ids;
}

/** What does not match between a check file's ids and the front matter's points, one sentence each. */
export function checkPointsProblems(ids: readonly string[], points: Readonly<Record<string, number>>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      problems.push(`check "${id}" is declared twice in check.test.ts`);
      continue;
    }
    seen.add(id);
    if (!Object.hasOwn(points, id)) problems.push(`check "${id}" of check.test.ts has no points in lesson.md (points: ${Object.keys(points).join(', ') || 'none'})`);
  }
  for (const id of Object.keys(points)) {
    if (!seen.has(id)) problems.push(`points name "${id}", which check.test.ts does not declare (its checks: ${[...seen].join(', ') || 'none'})`);
  }
  return problems;
}
