import { describe, expect, it } from 'vitest';
import { formatResult, gradesCsv, junitXml } from '../../../runtime/src/lessons/grade-report.js';
import { failedGrade, failureSummary, gradeFromReport } from '../../../runtime/src/lessons/grade-submission.js';
import type { CheckReport } from '../../../runtime/src/lessons/check-reporter.js';
import type { GradeResult } from '../../../runtime/src/lessons/grade-types.js';

const lesson = { id: '03-structured-windows', points: { 'update-averages': 3, 'late-dropped': 2 } };

const report: CheckReport = {
  errors: [],
  checks: [
    { id: 'update-averages', title: 'averages, per window', status: 'passed', durationMs: 12, failure: null },
    {
      id: 'late-dropped', title: 'drops "late" <readings>', status: 'failed', durationMs: 3,
      failure: {
        message: 'The rows your query wrote: yours has 1 row, the check expects 1; 1 expected row is missing and 1 row is not expected.',
        file: 'solution.ts', line: 21, diff: { columns: ['window', 'avg_temp'], missing: [['10:01–10:02', 29.4]], unexpected: [['10:00–10:01', 20]] },
      },
    },
  ],
};

describe('gradeFromReport', () => {
  it('gives each declared check its front matter points, keyed by check id, with the failure in the learner\'s words', () => {
    expect(gradeFromReport(lesson, 7, report, 'unused')).toEqual({
      lessonId: '03-structured-windows',
      seed: 7,
      tests: [
        { id: 'update-averages', name: 'averages, per window', status: 'passed', message: null, points: 3, maxPoints: 3, durationMs: 12, file: null, line: null, diff: null },
        { id: 'late-dropped', name: 'drops "late" <readings>', status: 'failed', message: report.checks[1]!.failure!.message, points: 0, maxPoints: 2, durationMs: 3, file: 'solution.ts', line: 21, diff: report.checks[1]!.failure!.diff },
      ],
      passed: 1,
      failed: 1,
      score: 3,
      maxScore: 5,
      reason: null,
    });
  });

  it('fails a declared check the report does not have, with the run\'s reason, and scores 0 of every point', () => {
    const r = gradeFromReport(lesson, 7, { errors: [], checks: [report.checks[0]!] }, 'This check did not run.');
    expect(r.tests.map((t) => [t.id, t.status, t.message, t.points, t.maxPoints])).toEqual([
      ['update-averages', 'passed', null, 3, 3], ['late-dropped', 'failed', 'This check did not run.', 0, 2],
    ]);
    const none = failedGrade(lesson, 7, 'The checks did not finish within 300 s and were stopped.');
    expect([none.score, none.maxScore, none.reason]).toEqual([0, 5, 'The checks did not finish within 300 s and were stopped.']);
  });

  it('strips colour codes and stacks from failures', () => {
    expect(failureSummary('\u001b[31mboom\u001b[39m\n    at x (y.ts:1:1)')).toBe('boom');
  });
});

const result: GradeResult = gradeFromReport(lesson, 7, report, 'unused');

describe('grade outputs', () => {
  it('text gives each check, the reason with its line, the rows as a small table, the seed, and ends with "N passed, M failed"', () => {
    expect(formatResult(result)).toBe([
      'lesson 03-structured-windows',
      '✓ averages, per window (3/3)',
      '✗ drops "late" <readings> (0/2)',
      '    The rows your query wrote: yours has 1 row, the check expects 1; 1 expected row is missing and 1 row is not expected. (solution.ts:21)',
      '                    window       avg_temp',
      '      missing       10:01–10:02  29.4',
      '      not expected  10:00–10:01  20',
      'score: 3/5 (seed 7)',
      '1 passed, 1 failed',
      '',
    ].join('\n'));
  });

  it('CSV has one row per student with per-check status by id, the seeds and the reason a submission could not be graded', () => {
    const all: GradeResult = { ...result, tests: result.tests.map((t) => ({ ...t, status: 'passed', points: t.maxPoints, message: null })), passed: 2, failed: 0, score: 5, hiddenSeed: 99 };
    const none = failedGrade(lesson, 7, 'Cannot tell which file is the submission\'s entry among a.ts, b.ts; name it solution.ts', 99);
    expect(gradesCsv([{ student: 'alice', result: all }, { student: 'bob', result }, { student: 'carol', result: none }])).toBe([
      'student,passed,total,points,max_points,update-averages,late-dropped,seed,hidden_seed,reason',
      'alice,2,2,5,5,passed,passed,7,99,',
      'bob,1,2,3,5,passed,failed,7,,',
      'carol,0,2,0,5,failed,failed,7,99,"Cannot tell which file is the submission\'s entry among a.ts, b.ts; name it solution.ts"',
      '',
    ].join('\n'));
  });

  it('JUnit XML has a testsuite per submission and escapes names and failures', () => {
    const xml = junitXml([{ name: 'bob · 03-structured-windows', result: { ...result, hiddenSeed: 99 } }]);
    expect(xml.split('\n').slice(0, 6)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="streamlab grade" tests="2" failures="1" time="0.015">',
      '  <testsuite name="bob · 03-structured-windows" tests="2" failures="1" skipped="0" time="0.015">',
      '    <properties><property name="points" value="3"/><property name="max_points" value="5"/><property name="seed" value="7"/><property name="hidden_seed" value="99"/></properties>',
      '    <testcase classname="03-structured-windows" name="averages, per window" time="0.012"/>',
      '    <testcase classname="03-structured-windows" name="drops &quot;late&quot; &lt;readings&gt;" time="0.003"><failure message="The rows your query wrote: yours has 1 row, the check expects 1; 1 expected row is missing and 1 row is not expected. (solution.ts:21)">The rows your query wrote: yours has 1 row, the check expects 1; 1 expected row is missing and 1 row is not expected. (solution.ts:21)',
    ]);
  });
});
