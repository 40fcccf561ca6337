/**
 * Errors that become `error` replies. Anything else thrown by a handler is reported as `internal` with a
 * message scrubbed of paths on this machine, never with a stack.
 */
import type { ErrorCode } from '../protocol/index.js';

/** An error whose message is meant for the client. */
export class RequestError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Removes absolute file paths and clips the message to one short line. */
export function scrubMessage(message: string): string {
  const oneLine = message.split('\n')[0] ?? '';
  const scrubbed = oneLine
    .replace(/(?:file:\/\/)?(?:\/[\w.@+-]+){2,}\/?/g, '<path>')
    .replace(/[A-Za-z]:\\(?:[\w.@+ -]+\\?)+/g, '<path>');
  return scrubbed.length > 300 ? `${scrubbed.slice(0, 297)}...` : scrubbed;
}

/** Converts anything thrown into `{ code, message }` for an error reply. */
export function toErrorReply(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof RequestError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `The runtime could not do that: ${scrubMessage(message)}` };
}
