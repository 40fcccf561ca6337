/**
 * Server messages for a client that negotiated an older protocol version: what that version does not
 * have is left out, so a strict decoder of that version still accepts every message it gets.
 *
 *   version 1:  `run.query` is not sent; `run.batch` goes without `schema`
 */
import type { ServerMessage } from './server-messages.js';

/**
 * The message as protocol `version` has it, or `null` when that version has no such message.
 * @param message a message of the current version
 * @param version the version negotiated with the client
 */
export function serverMessageForVersion(message: ServerMessage, version: number): ServerMessage | null {
  if (version >= 2) return message;
  if (message.kind === 'run.query') return null;
  if (message.kind === 'run.batch' && message.schema !== undefined) {
    const { schema: _schema, ...v1 } = message;
    return v1;
  }
  return message;
}
