/**
 * Compiles the learner's TypeScript files into one CommonJS script with esbuild.
 *
 * Contract:
 *   - the entry file and any file it imports by relative path come from the learner's files (in memory);
 *   - `streamlab` stays an external `require("streamlab")`, provided by the job process;
 *   - any other import is a compile error naming the module, at the learner's line;
 *   - with `typecheck`, TypeScript's errors in the learner's files stop the compile (typecheck.ts), all of
 *     them reported, the first as `error`;
 *   - the external source map's `sources` are the learner's own paths, so stacks map back to them.
 */
import { build } from 'esbuild';
import type { LearnerError } from './learner-error.js';
import { bundleLearnerFiles, missingEntry, normaliseLearnerPath } from './learner-bundle.js';
import { instrumentAwaits, instrumentLoops } from './loop-instrument.js';
import { typecheckLearnerFiles } from './typecheck.js';

export { STREAMLAB_MODULE } from './learner-bundle.js';

/** One learner file. */
export interface LearnerFile {
  path: string;
  content: string;
}

/** The compiled script and its source map (JSON text). */
export interface CompiledPipeline {
  code: string;
  map: string;
}

/** Outcome of compiling. */
export type CompileResult = { ok: true; pipeline: CompiledPipeline } | { ok: false; error: LearnerError; errors: LearnerError[] };

/**
 * Compiles learner files.
 * @param files the learner's files
 * @param entry path of the entry file; the first file when absent
 * @param options `guardLoops`: insert the endless-loop guard (`loop-guard.ts`) and the await tracker
 *   (`await-tracker.ts`); the job process provides both. `typecheck`: refuse files with TypeScript errors.
 */
export async function compileLearnerFiles(files: readonly LearnerFile[], entry?: string, options: { guardLoops?: boolean; typecheck?: boolean } = {}): Promise<CompileResult> {
  const byPath = new Map(files.map((f) => [normaliseLearnerPath(f.path), f.content]));
  const entryPath = normaliseLearnerPath(entry ?? files[0]?.path ?? '');
  if (!byPath.has(entryPath)) {
    const error = missingEntry(entryPath);
    return { ok: false, error, errors: [error] };
  }
  const bundled = await bundleLearnerFiles(build, byPath, entryPath);
  if (!bundled.ok) return { ok: false, error: bundled.error, errors: [bundled.error] };
  const pipeline = options.guardLoops ? guarded(bundled.pipeline) : bundled.pipeline;
  // A syntax error is esbuild's to report (it says it best); type errors only on code that parses.
  if (!options.typecheck) return { ok: true, pipeline };
  const typeErrors = await typecheckLearnerFiles([...byPath].map(([path, content]) => ({ path, content })));
  return typeErrors[0] ? { ok: false, error: typeErrors[0], errors: typeErrors } : { ok: true, pipeline };
}

/** The script with the endless-loop guard and the await tracker inserted. */
function guarded(pipeline: CompiledPipeline): CompiledPipeline {
  const awaits = instrumentAwaits(pipeline.code, pipeline.map);
  return instrumentLoops(awaits.code, awaits.map);
}
