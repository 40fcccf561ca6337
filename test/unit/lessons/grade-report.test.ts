import { describe, expect, it } from 'vitest';
import { formatResult, gradesCsv, junitXml } from '../../../runtime/src/lessons/grade-report.js';
import { failureSummary, gradeFromVitestJson } from '../../../runtime/src/lessons/grade-submission.js';
import type { GradeResult } from '../../../runtime/src/lessons/grade-types.js';

const lesson = { id: '03-structured-windows', points: { 'averages, per window': 3 } };

const report = {
  testResults: [{
    message: '',
    assertionResults: [
      { title: 'averages, per window', status: 'passed', duration: 12.4, failureMessages: [] },
      { title: 'drops "late" <readings>', status: 'failed', duration: 3, failureMessages: ['\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at check.test.ts:10:5\n    at run'] },
    ],
  }],
};

describe('gradeFromVitestJson', () => {
  it('gives points per check from the front matter (1 by default) and keeps the failure without its stack', () => {
    expect(gradeFromVitestJson(lesson, report)).toEqual({
      lessonId: '03-structured-windows',
      tests: [
        { name: 'averages, per window', status: 'passed', message: null, points: 3, maxPoints: 3, durationMs: 12 },
        { name: 'drops "late" <readings>', status: 'failed', message: 'AssertionError: expected 1 to be 2', points: 0, maxPoints: 1, durationMs: 3 },
      ],
      passed: 1,
      failed: 1,
      score: 3,
      maxScore: 4,
    });
  });

  it('fails every check with the file error when the check file could not run its tests', () => {
    const r = gradeFromVitestJson(lesson, { testResults: [{ message: 'Error: Your code does not compile: Expected ";"\n    at x', assertionResults: [{ title: 'averages, per window', status: 'skipped' }] }] });
    expect(r.tests).toEqual([{ name: 'averages, per window', status: 'failed', message: 'Error: Your code does not compile: Expected ";"', points: 0, maxPoints: 3, durationMs: 0 }]);
  });

  it('strips colour codes from failures', () => {
    expect(failureSummary('\u001b[31mboom\u001b[39m')).toBe('boom');
  });
});

const result: GradeResult = gradeFromVitestJson(lesson, report);

describe('grade outputs', () => {
  it('text ends with "N passed, M failed"', () => {
    expect(formatResult(result)).toBe([
      'lesson 03-structured-windows',
      '✓ averages, per window (3/3)',
      '✗ drops "late" <readings> (0/1)',
      '    AssertionError: expected 1 to be 2',
      'score: 3/4',
      '1 passed, 1 failed',
      '',
    ].join('\n'));
  });

  it('CSV has one row per student with per-check status, quoting names with commas and quotes', () => {
    const all: GradeResult = { ...result, tests: result.tests.map((t) => ({ ...t, status: 'passed', points: t.maxPoints, message: null })), passed: 2, failed: 0, score: 4 };
    expect(gradesCsv([{ student: 'alice', result: all }, { student: 'bob', result }])).toBe([
      'student,passed,total,points,max_points,"averages, per window","drops ""late"" <readings>"',
      'alice,2,2,4,4,passed,passed',
      'bob,1,2,3,4,passed,failed',
      '',
    ].join('\n'));
  });

  it('JUnit XML has a testsuite per submission and escapes names and failures', () => {
    expect(junitXml([{ name: 'bob · 03-structured-windows', result }])).toBe([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="streamlab grade" tests="2" failures="1" time="0.015">',
      '  <testsuite name="bob · 03-structured-windows" tests="2" failures="1" skipped="0" time="0.015">',
      '    <properties><property name="points" value="3"/><property name="max_points" value="4"/></properties>',
      '    <testcase classname="03-structured-windows" name="averages, per window" time="0.012"/>',
      '    <testcase classname="03-structured-windows" name="drops &quot;late&quot; &lt;readings&gt;" time="0.003"><failure message="AssertionError: expected 1 to be 2">AssertionError: expected 1 to be 2</failure></testcase>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'));
  });
});
