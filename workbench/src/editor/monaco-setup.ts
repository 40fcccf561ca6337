/**
 * The one place Monaco is configured: a slim build (editor + TypeScript only, per notes-infra §F), the
 * workers declared explicitly (without `getWorker` the core worker fails to load its bootstrap), and the
 * engine's declarations added so learners get autocomplete and type errors for `"streamlab"`.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/javascript/register';
import { typescriptDefaults, ModuleKind, ModuleResolutionKind, ScriptTarget } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import streamlabDts from 'virtual:streamlab-dts';
import { LEARNER_GLOBALS_DTS } from '@streamlab/runtime/learner-globals';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker();
  },
};

typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ES2020,
  module: ModuleKind.ESNext,
  moduleResolution: ModuleResolutionKind.NodeJs,
  strict: true,
  noEmit: true,
  allowNonTsExtensions: true,
  lib: ['es2022'],
});
typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
typescriptDefaults.addExtraLib(streamlabDts, 'file:///node_modules/@types/streamlab/index.d.ts');
// The sandbox's globals (console, timers); the es2022 lib has none. Run's type check declares the same.
typescriptDefaults.addExtraLib(LEARNER_GLOBALS_DTS, 'file:///node_modules/@types/streamlab-globals/index.d.ts');

/** Theme matching the page's colour scheme. */
export function monacoTheme(): string {
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'vs-dark' : 'vs';
}

matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => monaco.editor.setTheme(monacoTheme()));

export { monaco };
