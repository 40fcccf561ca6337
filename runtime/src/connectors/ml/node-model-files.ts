/** Model files from the local file system (the runtime and job processes). */
import { readdir, readFile } from 'node:fs/promises';
import type { ModelFiles } from './saved-model-reader.js';

/** Reads model files with node:fs. */
export function nodeModelFiles(): ModelFiles {
  return {
    list: (dir) => readdir(dir),
    read: async (file) => new Uint8Array(await readFile(file)),
  };
}
