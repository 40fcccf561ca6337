/**
 * The vitest reporter of a grading run. It runs in vitest's main process (which never evaluates learner
 * code) and writes one JSON report to the file named by `STREAMLAB_CHECK_REPORT`, a path in a folder the
 * sandboxed learner code has no access to (it has no file system at all):
 *
 *   { checks: [{ id, title, status, durationMs, failure: { message, file, line, diff } | null }],
 *     errors: [message],         errors: the check file failed to load, or errors outside any check
 *     plans: { fn: plan } }      the plan of the first DataFrame or query each function of the submission gave
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import type { CheckFailureInfo, PlanSummary } from './check-harness.js';

/** Env variable naming the report file. */
export const REPORT_ENV = 'STREAMLAB_CHECK_REPORT';

import type { CheckReport, ReportedCheck } from './grade-from-report.js';

export type { CheckReport, ReportedCheck } from './grade-from-report.js';

const ANSI = /\u001b\[[0-9;]*m/g;

function failureOf(error: Record<string, unknown> | undefined): CheckFailureInfo {
  const info = error?.check as Partial<CheckFailureInfo> | undefined;
  if (info && typeof info.message === 'string') {
    return { message: info.message, file: info.file ?? null, line: info.line ?? null, diff: info.diff ?? null };
  }
  const message = typeof error?.message === 'string' ? error.message.replace(ANSI, '') : 'The check failed.';
  return { message, file: null, line: null, diff: null };
}

export default class CheckReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message: string }>): void {
    const file = process.env[REPORT_ENV];
    if (!file) return;
    const checks: ReportedCheck[] = [];
    const plans: Record<string, PlanSummary> = {};
    const errors: string[] = unhandledErrors.map((e) => e.message.replace(ANSI, ''));
    for (const m of testModules) {
      for (const e of m.errors()) errors.push(e.message.replace(ANSI, ''));
      for (const t of m.children.allTests()) {
        const r = t.result();
        for (const [fn, plan] of Object.entries(t.meta().plans ?? {})) if (!Object.hasOwn(plans, fn)) plans[fn] = plan;
        const status = r.state === 'passed' ? 'passed' : r.state === 'failed' ? 'failed' : 'skipped';
        checks.push({
          id: t.meta().checkId ?? null,
          title: t.name,
          status,
          durationMs: Math.round(t.diagnostic()?.duration ?? 0),
          failure: status === 'failed' ? failureOf(r.errors?.[0] as Record<string, unknown> | undefined) : null,
        });
      }
    }
    writeFileSync(file, JSON.stringify({ checks, errors, plans } satisfies CheckReport));
  }
}
