/**
 * The generated files: where each lives and its current text.
 */
import { fileURLToPath } from 'node:url';
import { functionRegistry } from '../../runtime/src/engine/functions/registry.js';
import { LESSON_SCHEMA_FILE, lessonFrontMatterJsonSchema } from '../../runtime/src/lessons/lesson-json-schema.js';
import { renderFunctionsDoc } from './functions-doc.js';
import { renderFunctionsFacade } from './functions-facade.js';

export interface GeneratedFile {
  readonly relative: string;
  readonly path: string;
  readonly text: string;
}

const root = new URL('../../', import.meta.url);

function file(relative: string, text: string): GeneratedFile {
  return { relative, path: fileURLToPath(new URL(relative, root)), text };
}

/** Every generated file with the text the code gives it now. */
export function generatedFiles(): GeneratedFile[] {
  const specs = functionRegistry.list();
  return [
    file('runtime/src/engine/structured/generated-functions.ts', renderFunctionsFacade(specs)),
    file('docs/functions.md', renderFunctionsDoc(specs)),
    file(LESSON_SCHEMA_FILE, lessonFrontMatterJsonSchema()),
  ];
}
