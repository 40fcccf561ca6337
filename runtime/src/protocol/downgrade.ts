/**
 * Server messages for a client that negotiated an older protocol version: what that version does not
 * have is left out, so a strict decoder of that version still accepts every message it gets.
 *
 *   version 2:  `check.status` is not sent; `check.result` goes without score, seed and each check's id,
 *               points, file, line and diff
 *   version 1:  as version 2, and `run.query` is not sent; `run.batch` goes without `schema`
 */
import type { ServerMessage } from './server-messages.js';

/**
 * The message as protocol `version` has it, or `null` when that version has no such message.
 * @param message a message of the current version
 * @param version the version negotiated with the client
 */
export function serverMessageForVersion(message: ServerMessage, version: number): ServerMessage | null {
  if (version >= 3) return message;
  if (message.kind === 'check.status') return null;
  if (message.kind === 'check.result') {
    const { score: _score, maxScore: _maxScore, seed: _seed, ...rest } = message;
    return { ...rest, tests: rest.tests.map((t) => ({ name: t.name, status: t.status, message: t.message, durationMs: t.durationMs })) };
  }
  if (version >= 2) return message;
  if (message.kind === 'run.query') return null;
  if (message.kind === 'run.batch' && message.schema !== undefined) {
    const { schema: _schema, ...v1 } = message;
    return v1;
  }
  return message;
}
