/**
 * Errors as a job process reports them to the runtime: plain data (name, message, stack, code), with
 * the learner's own error preferred over an engine wrapper and the sandbox's refusals given their code.
 */
import { format } from 'node:util';
import type { RawError } from '../ipc.js';
import { cutText } from '../cut-text.js';
import { PIPELINE_FILENAME } from './sandbox-realm.js';

/** Most characters of an error's message sent to the runtime; the rest is counted. */
export const MAX_ERROR_MESSAGE_CHARS = 10_000;
/** Most characters of an error's name. */
const MAX_ERROR_NAME_CHARS = 200;
/** A stack longer than this keeps only its first frames, under the cut message. */
const MAX_STACK_CHARS = 20_000;
const MAX_FRAMES = 100;

/**
 * The error as plain data; `fallbackCode` when it carries no code of its own. Whatever was thrown:
 * the value is the learner's, so its getters, `toString` and `Symbol.toPrimitive` may throw or never
 * end (the loop guard ends those), and its texts may be of any length. This never throws, and what it
 * gives is bounded, so the run (or the check's reply) always reports it.
 */
export function toRawError(error: unknown, fallbackCode: string): RawError {
  try {
    return bounded(rawErrorOf(error, fallbackCode, 0));
  } catch {
    return { name: 'Error', message: 'Your pipeline threw a value that cannot be shown: its properties or its conversion to text threw.', stack: '', code: fallbackCode };
  }
}

function bounded(raw: RawError): RawError {
  const message = cutText(raw.message, MAX_ERROR_MESSAGE_CHARS);
  const stack = raw.stack.length <= MAX_STACK_CHARS
    ? raw.stack
    : [`${raw.name}: ${message.split('\n')[0]}`, ...raw.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, MAX_FRAMES)].join('\n');
  return { ...raw, name: cutText(raw.name, MAX_ERROR_NAME_CHARS), message, stack, code: cutText(raw.code, MAX_ERROR_NAME_CHARS) };
}

function rawErrorOf(error: unknown, fallbackCode: string, depth: number): RawError {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
    // Engine wrappers (StreamingQueryException) carry the learner's error as `cause`: report that one.
    if (depth < 8 && e.cause && typeof e.cause === 'object' && typeof (e.cause as { stack?: unknown }).stack === 'string'
      && String((e.cause as { stack: string }).stack).includes(PIPELINE_FILENAME)) {
      return rawErrorOf(e.cause, fallbackCode, depth + 1);
    }
    if (e.name === 'EvalError' && typeof e.message === 'string' && e.message.startsWith('Code generation from strings disallowed')) {
      return { name: 'Error', message: 'Pipelines cannot turn strings into code (eval, new Function).', stack: typeof e.stack === 'string' ? e.stack : '', code: 'sandbox-violation' };
    }
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : String(e.message),
      stack: typeof e.stack === 'string' ? e.stack : '',
      code: typeof e.code === 'string' ? e.code : fallbackCode,
    };
  }
  return { name: 'Error', message: `Your pipeline threw ${safeString(error)}`, stack: '', code: fallbackCode };
}

function safeString(v: unknown): string {
  try {
    return format('%o', v).slice(0, 200);
  } catch {
    return 'a value that cannot be shown';
  }
}
