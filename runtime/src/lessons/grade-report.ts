/** Text, CSV and JUnit XML forms of grade results. Pure functions: the command writes them out. */
import type { GradeResult, StudentGrade } from './grade-types.js';

/** `N passed, M failed`: the last line of every grading output. */
export function summaryLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}

/** Per-check lines (`✓ name (2/2)`, `✗ name (0/1)` with the reason indented), without the summary line. */
export function resultLines(result: GradeResult): string[] {
  const lines: string[] = [];
  for (const t of result.tests) {
    const mark = t.status === 'passed' ? '✓' : t.status === 'skipped' ? '-' : '✗';
    lines.push(`${mark} ${t.name} (${t.points}/${t.maxPoints})`);
    if (t.status === 'failed' && t.message) for (const l of t.message.split('\n').slice(0, 12)) lines.push(`    ${l}`);
  }
  lines.push(`score: ${result.score}/${result.maxScore}`);
  return lines;
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
 * One row per student: `student, passed, total, points, max_points`, then one status column per check
 * (named by the check), in the order the lesson declares them.
 */
export function gradesCsv(grades: readonly StudentGrade[]): string {
  const names: string[] = [];
  for (const g of grades) for (const t of g.result.tests) if (!names.includes(t.name)) names.push(t.name);
  const header = ['student', 'passed', 'total', 'points', 'max_points', ...names];
  const rows = grades.map((g) => {
    const byName = new Map(g.result.tests.map((t) => [t.name, t.status]));
    return [g.student, g.result.passed, g.result.tests.length, g.result.score, g.result.maxScore, ...names.map((n) => byName.get(n) ?? 'missing')];
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
    out.push(`    <properties><property name="points" value="${s.result.score}"/><property name="max_points" value="${s.result.maxScore}"/></properties>`);
    for (const t of s.result.tests) {
      const open = `    <testcase classname="${xml(s.result.lessonId)}" name="${xml(t.name)}" time="${seconds(t.durationMs)}"`;
      if (t.status === 'passed') out.push(`${open}/>`);
      else if (t.status === 'skipped') out.push(`${open}><skipped/></testcase>`);
      else {
        const msg = t.message ?? 'failed';
        out.push(`${open}><failure message="${xml(msg.split('\n')[0] ?? '')}">${xml(msg)}</failure></testcase>`);
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
