/**
 * Encoding and decoding of frames. Decoding never throws: a frame that is not valid JSON, has no known
 * `kind`, or has fields of the wrong type becomes an `error` reply whose message names the problem
 * without echoing large input back.
 */
import { z } from 'zod';
import { clientMessage, CLIENT_KINDS, type ClientMessage } from './client-messages.js';
import type { ErrorCode } from './common.js';
import { legacyRunBatchEvent, type VersionedServerMessage } from './downgrade.js';
import { runBatchEvent, serverMessage, type ServerMessage } from './server-messages.js';
import { PROTOCOL_VERSION } from './version.js';

/** Outcome of decoding a frame. */
export type Decoded<T> =
  | { ok: true; message: T }
  | { ok: false; id: string | null; code: ErrorCode; message: string };

/** Serialises a client message (validated, so a typo in the workbench fails loudly at the sender). */
export function encodeClientMessage(message: z.input<typeof clientMessage>): string {
  return JSON.stringify(clientMessage.parse(message));
}

/** Serialises a server message after validating it. */
export function encodeServerMessage(message: ServerMessage): string {
  return JSON.stringify(serverMessage.parse(message));
}

/** Decodes a frame received by the server. */
export function decodeClientMessage(text: string): Decoded<ClientMessage> {
  return decodeWith(text, clientMessage, CLIENT_KINDS as readonly string[]);
}

/** Server messages of protocols 1 to 3, whose `run.batch` had one untyped shape. */
const legacyServerMessage: z.ZodType<VersionedServerMessage> = z.discriminatedUnion('kind', [
  legacyRunBatchEvent, ...serverMessage.options.filter((o) => o !== runBatchEvent),
]);

/**
 * Decodes a frame received by a client.
 * @param version the negotiated version, when it is older than this build's (a client of an older runtime)
 */
export function decodeServerMessage(text: string): Decoded<ServerMessage>;
export function decodeServerMessage(text: string, version: number): Decoded<VersionedServerMessage>;
export function decodeServerMessage(text: string, version = PROTOCOL_VERSION): Decoded<VersionedServerMessage> {
  return decodeWith(text, version >= 4 ? serverMessage : legacyServerMessage, null);
}

function decodeWith<T>(text: string, schema: z.ZodType<T>, kinds: readonly string[] | null): Decoded<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, id: null, code: 'bad-json', message: 'The message is not valid JSON.' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, id: null, code: 'bad-message', message: 'A message must be a JSON object with a "kind".' };
  }
  const record = raw as Record<string, unknown>;
  const id = typeof record.id === 'string' && record.id.length > 0 && record.id.length <= 64 ? record.id : null;
  if (typeof record.kind !== 'string') {
    return { ok: false, id, code: 'bad-message', message: 'A message must have a string "kind".' };
  }
  if (kinds && !kinds.includes(record.kind)) {
    return { ok: false, id, code: 'unknown-kind', message: `Unknown message kind "${clip(record.kind)}".` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.map(String).map(clip).join('.') : 'message';
    return { ok: false, id, code: 'bad-message', message: `Invalid ${clip(record.kind)} message: ${where}: ${clip(issue?.message ?? 'invalid')}.` };
  }
  return { ok: true, message: parsed.data };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
