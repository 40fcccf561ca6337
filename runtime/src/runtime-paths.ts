/**
 * Where the runtime's package, its TypeScript sources and the repository's folders are, the same
 * whether the runtime runs from its sources (`runtime/src`) or from a build of them
 * (`runtime/dist/<build>`, made by `bin/build-runtime.js`), whose modules sit one folder deeper.
 */
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The runtime package's folder (`runtime/`). */
export const RUNTIME_DIR = basename(dirname(here)) === 'dist' ? dirname(dirname(here)) : dirname(here);

/** The runtime's TypeScript sources (`runtime/src/`): the engine's types for the learner's type check. */
export const RUNTIME_SRC = join(RUNTIME_DIR, 'src');

/** The repository's folder, with `lessons/` and `workbench/`. */
export const REPO_DIR = dirname(RUNTIME_DIR);

/** The lessons shipped with Streamlab. */
export const SHIPPED_LESSONS_DIR = join(REPO_DIR, 'lessons');
