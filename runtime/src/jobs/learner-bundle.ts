/**
 * How the learner's files become one CommonJS script, for whichever esbuild runs it: the native one in
 * the runtime (compile.ts), or esbuild-wasm in the browser build. Both pass their `build` function, so
 * the rules are one: the entry file and the files it imports by relative path come from the learner's
 * files; `streamlab` stays an external `require("streamlab")`; any other import is an error naming the
 * module at the learner's line; the source map's `sources` are the learner's own paths.
 */
import type { BuildOptions, BuildResult, Message, Plugin } from 'esbuild';
import type { LearnerError } from './learner-error.js';

/** The only bare module a pipeline may import. */
export const STREAMLAB_MODULE = 'streamlab';

const NAMESPACE = 'learner';

/** The compiled script and its source map (JSON text). */
export interface BundledPipeline {
  code: string;
  map: string;
}

/** esbuild's `build`, native or WebAssembly. */
export type EsbuildBuild = (options: BuildOptions & { write: false }) => Promise<BuildResult<{ write: false }>>;

/** A path among the learner's files: forward slashes, no `./`, `..` resolved. */
export function normaliseLearnerPath(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function dirnameOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** The error a missing entry file gives. */
export function missingEntry(entryPath: string): LearnerError {
  return { message: `The entry file ${entryPath || '(none)'} is not among your files.`, code: 'compile-error', file: null, line: null, column: null, stack: '' };
}

/** Bundles the learner's files; resolves with the script or with esbuild's first error as a learner error. */
export async function bundleLearnerFiles(build: EsbuildBuild, byPath: ReadonlyMap<string, string>, entryPath: string): Promise<{ ok: true; pipeline: BundledPipeline } | { ok: false; error: LearnerError }> {
  const plugin: Plugin = {
    name: 'streamlab-learner-files',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: entryPath, namespace: NAMESPACE };
        if (args.path === STREAMLAB_MODULE) return { path: STREAMLAB_MODULE, external: true };
        if (args.path.startsWith('./') || args.path.startsWith('../')) {
          const base = normaliseLearnerPath(`${dirnameOf(args.importer)}/${args.path}`);
          const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
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
    return { ok: true, pipeline: { code: js.text, map: JSON.stringify(parsedMap) } };
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    const first = errors?.[0];
    if (!first) throw e;
    const loc = first.location;
    const code = first.text.startsWith('Only "') ? 'import-not-allowed' : 'compile-error';
    const where = loc ? `${loc.file.replace(/^learner:/, '')}:${loc.line}:${loc.column + 1}` : '';
    return {
      ok: false,
      error: {
        message: first.text,
        code,
        file: loc ? loc.file.replace(/^learner:/, '') : null,
        line: loc?.line ?? null,
        column: loc ? loc.column + 1 : null,
        stack: where ? `${first.text}\n    at ${where}${loc?.lineText ? `\n    ${loc.lineText}` : ''}` : first.text,
      },
    };
  }
}
