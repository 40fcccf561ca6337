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
import { build, type Message, type Plugin } from 'esbuild';
import { posix } from 'node:path';
import type { LearnerError } from './learner-error.js';
import { instrumentAwaits, instrumentLoops } from './loop-instrument.js';
import { typecheckLearnerFiles } from './typecheck.js';

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

/** The only bare module a pipeline may import. */
export const STREAMLAB_MODULE = 'streamlab';

const NAMESPACE = 'learner';

/**
 * Compiles learner files.
 * @param files the learner's files
 * @param entry path of the entry file; the first file when absent
 * @param options `guardLoops`: insert the endless-loop guard (`loop-guard.ts`) and the await tracker
 *   (`await-tracker.ts`); the job process provides both. `typecheck`: refuse files with TypeScript errors.
 */
export async function compileLearnerFiles(files: readonly LearnerFile[], entry?: string, options: { guardLoops?: boolean; typecheck?: boolean } = {}): Promise<CompileResult> {
  const byPath = new Map(files.map((f) => [normalise(f.path), f.content]));
  const entryPath = normalise(entry ?? files[0]?.path ?? '');
  if (!byPath.has(entryPath)) {
    const error = { message: `The entry file ${entryPath || '(none)'} is not among your files.`, code: 'compile-error', file: null, line: null, column: null, stack: '' };
    return { ok: false, error, errors: [error] };
  }
  const bundled = await bundle(byPath, entryPath, options);
  // A syntax error is esbuild's to report (it says it best); type errors only on code that parses.
  if (!bundled.ok || !options.typecheck) return bundled;
  const typeErrors = await typecheckLearnerFiles([...byPath].map(([path, content]) => ({ path, content })));
  return typeErrors[0] ? { ok: false, error: typeErrors[0], errors: typeErrors } : bundled;
}

async function bundle(byPath: Map<string, string>, entryPath: string, options: { guardLoops?: boolean }): Promise<CompileResult> {
  const plugin: Plugin = {
    name: 'streamlab-learner-files',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: entryPath, namespace: NAMESPACE };
        if (args.path === STREAMLAB_MODULE) return { path: STREAMLAB_MODULE, external: true };
        if (args.path.startsWith('./') || args.path.startsWith('../')) {
          const base = posix.normalize(posix.join(posix.dirname(args.importer), args.path));
          const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, posix.join(base, 'index.ts')];
          const found = candidates.find((c) => byPath.has(c));
          if (found) return { path: found, namespace: NAMESPACE };
          return { errors: [{ text: `Cannot find your file "${args.path}".` }] };
        }
        return { errors: [{ text: `Only "${STREAMLAB_MODULE}" and your own files can be imported; "${args.path}" is not available in a pipeline.` }] };
      });
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: byPath.get(args.path) ?? '', loader: 'ts' }));
    },
  };
  try {
    const result = await build({
      entryPoints: [entryPath],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      sourcemap: 'external',
      sourcesContent: false,
      outfile: 'pipeline.js',
      logLevel: 'silent',
      plugins: [plugin],
    });
    const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
    if (!js || !map) throw new Error('esbuild produced no output');
    const parsedMap = JSON.parse(map.text) as { sources: string[] };
    parsedMap.sources = parsedMap.sources.map((s) => s.replace(/^(\.\.\/)*learner:/, ''));
    const pipeline = { code: js.text, map: JSON.stringify(parsedMap) };
    if (!options.guardLoops) return { ok: true, pipeline };
    const awaits = instrumentAwaits(pipeline.code, pipeline.map);
    return { ok: true, pipeline: instrumentLoops(awaits.code, awaits.map) };
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    const first = errors?.[0];
    if (!first) throw e;
    const loc = first.location;
    const code = first.text.startsWith('Only "') ? 'import-not-allowed' : 'compile-error';
    const where = loc ? `${loc.file.replace(/^learner:/, '')}:${loc.line}:${loc.column + 1}` : '';
    const error: LearnerError = {
      message: first.text,
      code,
      file: loc ? loc.file.replace(/^learner:/, '') : null,
      line: loc?.line ?? null,
      column: loc ? loc.column + 1 : null,
      stack: where ? `${first.text}\n    at ${where}${loc?.lineText ? `\n    ${loc.lineText}` : ''}` : first.text,
    };
    return { ok: false, error, errors: [error] };
  }
}

function normalise(p: string): string {
  return posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '');
}
