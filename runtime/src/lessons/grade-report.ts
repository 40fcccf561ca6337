/** Text, CSV and JUnit XML forms of grade results. Pure functions: the command writes them out. */
import type { GradeDiff, GradedTest, GradeResult, StudentGrade } from './grade-types.js';

/** `N passed, M failed`: the last line of every grading output. */
export function summaryLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}

function cell(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? 'null';
}

/** A small text table of a diff: `missing` and `unexpected` rows under the column names. */
export function diffLines(diff: GradeDiff, maxRows = 8): string[] {
  const rows = [
    ...diff.missing.slice(0, maxRows).map((r) => ['missing', ...r.map(cell)]),
    ...diff.unexpected.slice(0, maxRows).map((r) => ['not expected', ...r.map(cell)]),
  ];
  const header = ['', ...diff.columns];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const more = diff.missing.length + diff.unexpected.length - rows.length;
  return [line(header), ...rows.map(line), ...(more > 0 ? [`… and ${more} more`] : [])];
}

/** Where a failure points, as `file:line`. */
function where(t: GradedTest): string {
  return t.line !== null ? ` (${t.file ?? 'your file'}:${t.line})` : '';
}

/** Per-check lines (`✓ name (2/2)`, `✗ name (0/1)` with the reason and diff indented), then the score. */
export function resultLines(result: GradeResult): string[] {
  const lines: string[] = [];
  for (const t of result.tests) {
    const mark = t.status === 'passed' ? '✓' : t.status === 'skipped' ? '-' : '✗';
    lines.push(`${mark} ${t.name} (${t.points}/${t.maxPoints})`);
    if (t.status !== 'passed' && t.message) {
      const message = t.message.split('\n').slice(0, 12);
      message[0] = `${message[0]}${where(t)}`;
      for (const l of message) lines.push(`    ${l}`);
      if (t.diff) for (const l of diffLines(t.diff)) lines.push(`      ${l}`);
    }
  }
  lines.push(`score: ${result.score}/${result.maxScore} (${seedsText(result)})`);
  return lines;
}

/** `seed S` and, in the instructor's reports, `hidden seed H`: what `--seed` and `--hidden-seed` take to reproduce a grade. */
export function seedsText(result: Pick<GradeResult, 'seed' | 'hiddenSeed'>): string {
  return `seed ${result.seed}${result.hiddenSeed !== undefined ? `, hidden seed ${result.hiddenSeed}` : ''}`;
}

/** The whole text report of one submission, ending with `N passed, M failed`. */
export function formatResult(result: GradeResult): string {
  return [`lesson ${result.lessonId}`, ...resultLines(result), summaryLine(result.passed, result.failed)].join('\n') + '\n';
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per student: `student, passed, total, points, max_points`, one status column per check (named
 * by the check's id, in the order the lesson declares them), then `seed`, `hidden_seed` (empty when no
 * hidden check ran) and `reason` (why a submission could not be graded at all; empty otherwise).
 */
export function gradesCsv(grades: readonly StudentGrade[]): string {
  const ids: string[] = [];
  for (const g of grades) for (const t of g.result.tests) if (!ids.includes(t.id)) ids.push(t.id);
  const header = ['student', 'passed', 'total', 'points', 'max_points', ...ids, 'seed', 'hidden_seed', 'reason'];
  const rows = grades.map((g) => {
    const byId = new Map(g.result.tests.map((t) => [t.id, t.status]));
    const reason = g.result.reason ?? '';
    return [g.student, g.result.passed, g.result.tests.length, g.result.score, g.result.maxScore, ...ids.map((id) => byId.get(id) ?? 'missing'), g.result.seed, g.result.hiddenSeed ?? '', reason];
  });
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function xml(s: string): string {
  // XML 1.0 forbids most control characters; terminal colour codes are dropped with them.
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JUnit XML: one `<testsuite>` per submission, one `<testcase>` per check. */
export function junitXml(suites: readonly { name: string; result: GradeResult }[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = suites.reduce((n, s) => n + s.result.tests.length, 0);
  const failures = suites.reduce((n, s) => n + s.result.failed, 0);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const time = (s: { result: GradeResult }) => s.result.tests.reduce((n, t) => n + t.durationMs, 0);
  out.push(`<testsuites name="streamlab grade" tests="${total}" failures="${failures}" time="${seconds(suites.reduce((n, s) => n + time(s), 0))}">`);
  for (const s of suites) {
    const skipped = s.result.tests.filter((t) => t.status === 'skipped').length;
    out.push(`  <testsuite name="${xml(s.name)}" tests="${s.result.tests.length}" failures="${s.result.failed}" skipped="${skipped}" time="${seconds(time(s))}">`);
    out.push(`    <properties><property name="points" value="${s.result.score}"/><property name="max_points" value="${s.result.maxScore}"/><property name="seed" value="${s.result.seed}"/>${s.result.hiddenSeed !== undefined ? `<property name="hidden_seed" value="${s.result.hiddenSeed}"/>` : ''}</properties>`);
    for (const t of s.result.tests) {
      const open = `    <testcase classname="${xml(s.result.lessonId)}" name="${xml(t.name)}" time="${seconds(t.durationMs)}"`;
      if (t.status === 'passed') out.push(`${open}/>`);
      else if (t.status === 'skipped') out.push(`${open}><skipped/></testcase>`);
      else {
        const msg = `${t.message ?? 'failed'}${where(t)}`;
        const body = t.diff ? `${msg}\n${diffLines(t.diff).join('\n')}` : msg;
        out.push(`${open}><failure message="${xml(msg.split('\n')[0] ?? '')}">${xml(body)}</failure></testcase>`);
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** What a learner is told of a hidden check that failed: that it failed, and its category. */
export function hiddenFailure(category: string): string {
  return `A hidden check about ${category} failed. Its data stays with your instructor: test your code on cases of your own.`;
}

/**
 * A grade as the learner may see it (the workbench's Check, a student's feedback): every hidden check
 * keeps its status and points but loses its name, message, line and rows, which carry the check's data,
 * and the grade loses its hidden seed, which would rebuild that data. The instructor's reports (CSV,
 * JSON, JUnit, the command's own output) use the whole grade.
 */
export function learnerView(full: GradeResult): GradeResult {
  const { hiddenSeed: _hiddenSeed, ...result } = full;
  let n = 0;
  const tests = result.tests.map((t): GradedTest => {
    if (t.hidden === undefined) return t;
    n++;
    const message = t.status === 'failed' ? hiddenFailure(t.hidden) : t.status === 'skipped' ? 'A hidden check: only a grade runs it.' : null;
    return { ...t, name: `hidden check ${n} (${t.hidden})`, message, file: null, line: null, diff: null };
  });
  return { ...result, tests };
}
