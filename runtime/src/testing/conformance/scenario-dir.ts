/** Where the shared public scenarios live: `../shared/conformance/public` from the repository root. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The default scenario directory. */
export const DEFAULT_SCENARIO_DIR = resolve(repoRoot, '../shared/conformance/public');
