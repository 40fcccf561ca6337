/**
 * Vite plugin that turns the learner's import path (`runtime/src/streamlab.ts`) into one declaration
 * text, served as the virtual module `virtual:streamlab-dts`. The editor hands it to Monaco with
 * `addExtraLib`, so autocomplete and type errors always match the engine that runs the code: there is
 * no hand-written copy of the API to drift.
 *
 * TypeScript's `outFile` declaration emit (AMD-style `declare module "engine/clock" { … }` blocks) is
 * used because it bundles every file reachable from the entry into one text without another tool.
 */
import ts from 'typescript';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const VIRTUAL_ID = 'virtual:streamlab-dts';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

/** Emits the declarations of `entry` (and everything it imports) as one ambient-module text. */
export function emitStreamlabDeclarations(entry: string): { text: string; files: string[] } {
  const rootDir = dirname(entry);
  const options: ts.CompilerOptions = {
    declaration: true,
    emitDeclarationOnly: true,
    outFile: 'streamlab.d.ts',
    module: ts.ModuleKind.AMD,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    rootDir,
    strict: true,
    skipLibCheck: true,
    stripInternal: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  let text = '';
  host.writeFile = (_name, data) => {
    text += data;
  };
  const program = ts.createProgram([entry], options, host);
  const result = program.emit(undefined, undefined, undefined, true);
  if (result.emitSkipped) {
    const messages = result.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    throw new Error(`streamlab declarations could not be emitted:\n${messages.join('\n')}`);
  }
  const files = program
    .getSourceFiles()
    .map((f) => f.fileName)
    .filter((f) => f.startsWith(rootDir));
  return { text, files };
}

/** The plugin; `entry` defaults to the repository's `runtime/src/streamlab.ts`. */
export function streamlabDts(entry?: string): Plugin {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = entry ?? resolve(here, '../../runtime/src/streamlab.ts');
  return {
    name: 'streamlab-dts',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const { text, files } = emitStreamlabDeclarations(file);
      // Re-run when any engine file changes in dev.
      for (const f of files) this.addWatchFile(f);
      return `export default ${JSON.stringify(text)};`;
    },
  };
}
