/**
 * Where the Spark conformance scenarios are read from: the repository's own copy,
 * `test/conformance/public` (format in `test/conformance/FORMAT.md`), or the directory that
 * `STREAMLAB_CONFORMANCE_DIR` names — another set in the same format, such as a held-out one.
 */
import { resolve } from 'node:path';
import { REPO_DIR } from '../../runtime-paths.js';

const repoRoot = REPO_DIR;

/** The variable that points the conformance runner and tier at another directory of scenarios. */
export const SCENARIO_DIR_ENV = 'STREAMLAB_CONFORMANCE_DIR';

/** The repository's copy of the public scenarios. */
export const PUBLIC_SCENARIO_DIR = resolve(repoRoot, 'test/conformance/public');

/** The scenario directory to run: `STREAMLAB_CONFORMANCE_DIR` when set (relative to the working directory), else the public set. */
export function scenarioDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const dir = env[SCENARIO_DIR_ENV]?.trim();
  return dir ? resolve(dir) : PUBLIC_SCENARIO_DIR;
}
