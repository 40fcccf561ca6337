/**
 * Errors as a job process reports them to the runtime: plain data (name, message, stack, code), with
 * the learner's own error preferred over an engine wrapper and the sandbox's refusals given their code.
 */
import { format } from 'node:util';
import type { RawError } from '../ipc.js';
import { PIPELINE_FILENAME } from './sandbox-realm.js';

/** The error as plain data; `fallbackCode` when it carries no code of its own. */
export function toRawError(error: unknown, fallbackCode: string): RawError {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
    // Engine wrappers (StreamingQueryException) carry the learner's error as `cause`: report that one.
    if (e.cause && typeof e.cause === 'object' && typeof (e.cause as { stack?: unknown }).stack === 'string'
      && String((e.cause as { stack: string }).stack).includes(PIPELINE_FILENAME)) {
      return toRawError(e.cause, fallbackCode);
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
