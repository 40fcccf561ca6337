/**
 * Conformance scenario files (`test/conformance/FORMAT.md`): loading, and the comparison of
 * result rows with expected rows (multiset or ordered, doubles to 1e-9 relative).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StreamingApi } from '../../protocol/common.js';

/** A scenario file as parsed JSON (fields used by the runners are typed where they read them). */
export interface Scenario {
  readonly id: string;
  readonly api: StreamingApi;
  readonly [key: string]: unknown;
}

/** Outcome of one scenario. */
export type ScenarioResult = { ok: true } | { ok: false; message: string };

/** Every `*.json` scenario in the directories, sorted by id within each directory. */
export async function loadScenarios(dirs: readonly string[]): Promise<{ file: string; scenario: Scenario }[]> {
  const out: { file: string; scenario: Scenario }[] = [];
  for (const dir of dirs) {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    for (const n of names) {
      const file = join(dir, n);
      out.push({ file, scenario: JSON.parse(await readFile(file, 'utf8')) as Scenario });
    }
  }
  return out;
}

function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valueEquals(x, b[i]));
  return false;
}

/** Compares rows; returns a description of the first difference or null. */
export function compareRows(actual: readonly unknown[][], expected: readonly unknown[][], ordered: boolean): string | null {
  const show = (rows: readonly unknown[][]) => JSON.stringify(rows);
  if (ordered) {
    if (actual.length !== expected.length || !actual.every((r, i) => valueEquals(r, expected[i]))) {
      return `expected rows (in order) ${show(expected)} but got ${show(actual)}`;
    }
    return null;
  }
  const remaining = [...actual];
  for (const e of expected) {
    const i = remaining.findIndex((r) => valueEquals(r, e));
    if (i < 0) return `expected rows ${show(expected)} but got ${show(actual)} (missing ${JSON.stringify(e)})`;
    remaining.splice(i, 1);
  }
  if (remaining.length > 0) return `expected rows ${show(expected)} but got ${show(actual)} (unexpected ${JSON.stringify(remaining[0])})`;
  return null;
}
