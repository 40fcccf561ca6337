/**
 * The TypeScript program that checks a learner's files, with the options the editor uses (strict,
 * ES2022 library, the sandbox's globals: learner-globals.ts), against the engine's own sources as the
 * `"streamlab"` module. It runs in the type-check worker (typecheck-worker.ts), never on the runtime's
 * main thread.
 *
 * Contract:
 *   - only the learner's files are reported, errors only, in file then position order;
 *   - each diagnostic becomes a {@link LearnerError} with code `type-error` and the learner's position;
 *   - a member missing on a PySpark class or on `functions` is explained in PySpark's words (missing-api.ts);
 *   - the engine's and the library's parsed files are kept between calls, so only the first check pays
 *     for parsing them (seconds); later ones take a fraction of a second.
 */
import { join, posix } from 'node:path';
import { RUNTIME_SRC } from '../runtime-paths.js';
import type * as TS from 'typescript';
import type { LearnerError } from './learner-error.js';
import { LEARNER_GLOBALS_DTS } from './learner-globals.js';
import { explainTypeError } from './missing-api.js';

/** One learner file, as the compiler takes them. */
export interface TypecheckFile {
  path: string;
  content: string;
}

/** Where the learner's files live in the checker's file system; never shown to the learner. */
const ROOT = '/__learner__/';
const GLOBALS_FILE = `${ROOT}__globals__.d.ts`;
const ENGINE_ENTRY = join(RUNTIME_SRC, 'streamlab.ts');

/** Checks one set of learner files; the engine's parsed files are kept between calls. */
export type Checker = (files: readonly TypecheckFile[]) => LearnerError[];

/** Loads the compiler and returns a checker that keeps the engine and library parsed. */
export async function createChecker(): Promise<Checker> {
  const ts = (await import('typescript')).default;
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noEmit: true,
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipLibCheck: true,
    baseUrl: ROOT,
    paths: { streamlab: [ENGINE_ENTRY] },
  };
  const base = ts.createCompilerHost(options);
  // Engine and library files never change while the runtime runs; keep them parsed.
  const kept = new Map<string, TS.SourceFile | undefined>();
  let previous: TS.Program | undefined;
  return (files) => {
    const learner = new Map(files.map((f) => [ROOT + normalise(f.path), f.content]));
    learner.set(GLOBALS_FILE, LEARNER_GLOBALS_DTS);
    const host: TS.CompilerHost = {
      ...base,
      fileExists: (name) => learner.has(name) || (!name.startsWith(ROOT) && base.fileExists(name)),
      readFile: (name) => learner.get(name) ?? (name.startsWith(ROOT) ? undefined : base.readFile(name)),
      directoryExists: (name) => name === ROOT.slice(0, -1) || name.startsWith(ROOT) || (base.directoryExists?.(name) ?? true),
      getSourceFile: (name, language) => {
        const text = learner.get(name);
        if (text !== undefined) return ts.createSourceFile(name, text, language, true);
        if (name.startsWith(ROOT)) return undefined;
        if (!kept.has(name)) kept.set(name, base.getSourceFile(name, language));
        return kept.get(name);
      },
      writeFile: () => {},
    };
    const program = ts.createProgram({ rootNames: [...learner.keys()], options, host, ...(previous ? { oldProgram: previous } : {}) });
    previous = program;
    const errors: LearnerError[] = [];
    for (const name of learner.keys()) {
      if (name === GLOBALS_FILE) continue;
      const source = program.getSourceFile(name);
      if (!source) continue;
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
        .filter((d) => d.category === ts.DiagnosticCategory.Error)
        .sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
      for (const d of diagnostics) errors.push(toLearnerError(ts, d, name.slice(ROOT.length)));
    }
    return errors;
  };
}

function toLearnerError(ts: typeof import("typescript"), d: TS.Diagnostic, file: string): LearnerError {
  // A member the engine's PySpark classes lack reads as PySpark or Spark would say it (missing-api.ts).
  const message = explainTypeError(ts.flattenDiagnosticMessageText(d.messageText, '\n').replaceAll(ROOT, ''));
  if (!d.file || d.start === undefined) return { message, code: 'type-error', file, line: null, column: null, stack: message };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const lineText = d.file.text.split('\n')[line]?.replace(/\r$/, '') ?? '';
  return {
    message,
    code: 'type-error',
    file,
    line: line + 1,
    column: character + 1,
    stack: `${message}\n    at ${file}:${line + 1}:${character + 1}\n    ${lineText}`,
  };
}

function normalise(p: string): string {
  return posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/^\/+/, '');
}
