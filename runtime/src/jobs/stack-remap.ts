/**
 * Turns a stack from the job process into one the learner can read: frames in the compiled pipeline are
 * mapped back to the learner's file, line and column through the source map; every other frame (engine,
 * Node internals, paths on this machine) is dropped.
 */
import { SourceMap } from 'node:module';
import type { LearnerError } from './learner-error.js';
import { functionsNames, learnerNames } from './learner-names.js';
import { explainNotAFunction } from './missing-api.js';

const FRAME = /(?:\(|\s|^)pipeline\.js:(\d+):(\d+)\)?\s*$/;

/** A position in a learner file (1-based). */
export interface LearnerPosition {
  file: string;
  line: number;
  column: number;
}

/** Maps generated (1-based) line/column of the compiled pipeline to the learner's position. */
export function mapPosition(map: SourceMap, line: number, column: number): LearnerPosition | null {
  const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (!entry || entry.originalSource === undefined || entry.originalLine === undefined) return null;
  return { file: entry.originalSource, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}

/**
 * Builds the learner-facing error from the child's raw error.
 * @param raw name, message, stack and code as the child reported them
 * @param mapJson the pipeline's source map
 * @param sources the learner's files, whose `streamlab` imports name what the bundle renamed
 */
export function remapError(raw: { name: string; message: string; stack: string; code: string; at?: LearnerPosition }, mapJson: string, sources: readonly string[] = []): LearnerError {
  const map = new SourceMap(JSON.parse(mapJson));
  const frames: string[] = [];
  let first: LearnerPosition | null = raw.at ?? null;
  for (const line of raw.stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const pos = mapPosition(map, Number(m[1]), Number(m[2]));
    if (!pos) continue;
    first ??= pos;
    const fn = /^\s*at\s+(?!pipeline\.js)([^\s(]+)\s+\(/.exec(line)?.[1];
    frames.push(`    at ${fn && fn !== 'Object.<anonymous>' ? `${fn} (${pos.file}:${pos.line}:${pos.column})` : `${pos.file}:${pos.line}:${pos.column}`}`);
  }
  const named = learnerNames(raw.message, sources);
  // "F.x is not a function" says what JavaScript saw; the learner needs what PySpark or Spark would say.
  const message = raw.name === 'TypeError' ? explainNotAFunction(named, functionsNames(sources)) : named;
  const headline = raw.name && raw.name !== 'Error' && message === named ? `${raw.name}: ${message}` : message;
  return {
    message,
    code: raw.code,
    file: first?.file ?? null,
    line: first?.line ?? null,
    column: first?.column ?? null,
    stack: [headline, ...frames].join('\n'),
  };
}
