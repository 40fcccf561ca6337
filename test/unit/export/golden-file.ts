/**
 * Golden files for exported Python. `STREAMLAB_UPDATE_GOLDEN=1` rewrites a golden file from the
 * current output and then fails on purpose, so an update is always a deliberate, reviewed diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Env variable that switches the golden tests to rewriting their files. */
export const UPDATE_GOLDEN_ENV = 'STREAMLAB_UPDATE_GOLDEN';

/** Asserts that `actual` equals the golden file's text (or rewrites it and fails). */
export function expectGolden(actual: string, file: URL): void {
  if (process.env[UPDATE_GOLDEN_ENV]) {
    writeFileSync(file, actual);
    throw new Error(`golden file ${file.pathname} rewritten; review the diff and rerun without ${UPDATE_GOLDEN_ENV}`);
  }
  if (!existsSync(file)) throw new Error(`golden file ${file.pathname} is missing; create it with ${UPDATE_GOLDEN_ENV}=1`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
