/** The broker's small metadata files (topic.json, cluster.json, …): every error names the file. */
import { readFileSync } from 'node:fs';

/** Reads and parses a JSON file; a broken one fails with its path and what the file is for. */
export function readJsonFile<T>(path: string, what: string, valid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${what} cannot be read (${e instanceof Error ? e.message : String(e)}); restore or remove the file`);
  }
  if (!valid(value)) throw new Error(`${path}: ${what} does not have the expected fields; restore or remove the file`);
  return value;
}

/** True for a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
