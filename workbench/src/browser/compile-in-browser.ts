/**
 * The learner's TypeScript compiled in the page with esbuild-wasm, by the same rules as the runtime's
 * Run (runtime/src/jobs/learner-bundle.ts: only `streamlab` and the learner's own files, the same
 * errors), with the same endless-loop guard and await tracker inserted (loop-insert.ts). esbuild's WebAssembly loads on
 * the first Run, in its own worker. A dynamic `import(…)` is refused here, as the job process's realm
 * refuses it when it runs: in a worker it would load any file of the site, or of another one.
 */
import * as esbuild from 'esbuild-wasm';
import wasmURL from 'esbuild-wasm/esbuild.wasm?url';
import type { SourceFile } from '@streamlab/runtime/protocol';
import { bundleLearnerFiles, dynamicImportAt, instrumentAwaitsAt, instrumentLoops, sourceMapLookup, missingEntry, normaliseLearnerPath, type BundledPipeline, type EsbuildBuild, type LearnerError } from '@streamlab/runtime/in-browser';

let ready: Promise<void> | null = null;

/** Compiles the files; the entry is `entry`, else the first file. */
export async function compileInBrowser(files: readonly SourceFile[], entry?: string): Promise<{ ok: true; pipeline: BundledPipeline } | { ok: false; error: LearnerError }> {
  const byPath = new Map(files.map((f) => [normaliseLearnerPath(f.path), f.content]));
  const entryPath = normaliseLearnerPath(entry ?? files[0]?.path ?? '');
  if (!byPath.has(entryPath)) return { ok: false, error: missingEntry(entryPath) };
  ready ??= esbuild.initialize({ wasmURL, worker: true });
  await ready;
  const bundled = await bundleLearnerFiles(esbuild.build as unknown as EsbuildBuild, byPath, entryPath);
  if (!bundled.ok) return bundled;
  const { code, map } = bundled.pipeline;
  const dynamic = dynamicImportAt(code);
  if (dynamic) {
    const at = sourceMapLookup(map)(dynamic.line, dynamic.column);
    const message = 'Only "streamlab" and your own files can be imported, each with an import statement: import(…) is not available in a pipeline.';
    return { ok: false, error: { message, code: 'import-not-allowed', file: at.source ?? null, line: at.line === undefined ? null : at.line + 1, column: at.column === undefined ? null : at.column + 1, stack: message } };
  }
  const awaits = instrumentAwaitsAt(code, map, sourceMapLookup(map));
  return { ok: true, pipeline: instrumentLoops(awaits.code, awaits.map) };
}
