/**
 * The request/reply table of the protocol, as types: each request kind `K` is answered by exactly one
 * reply kind, `K.ok` (or by `error`). A client's `request(kind, fields)` returns `ReplyOf<kind>`, and
 * the server's handler table (`RequestHandlers`) must hold a handler for every kind that returns that
 * reply's fields, so a request added to the protocol without its reply, its handler or the right
 * reply shape does not compile.
 */
import type { ClientKind, ClientMessageInput } from './client-messages.js';
import type { ServerKind, ServerMessageOf } from './server-messages.js';

/** The reply kind of a request kind. */
export type ReplyKind<K extends ClientKind> = `${K}.ok`;

/** The reply to a request of kind `K`. */
export type ReplyOf<K extends ClientKind> = ServerMessageOf<ReplyKind<K>>;

/** A reply without what the dispatcher adds (`kind` and the request's `id`). */
export type ReplyFields<K extends ClientKind> = Omit<ReplyOf<K>, 'kind' | 'id'>;

/** A request's own fields as a client writes them (before defaults, without `kind` and `id`). */
export type RequestFields<K extends ClientKind> = Omit<Extract<ClientMessageInput, { kind: K }>, 'kind' | 'id'>;

/** The reply kind of a request kind. */
export function replyKind<K extends ClientKind>(kind: K): ReplyKind<K> {
  return `${kind}.ok`;
}

/** Request kinds without a reply kind among the server's messages: none, or this module does not compile. */
type Unanswered = { [K in ClientKind]: ReplyKind<K> extends ServerKind ? never : K }[ClientKind];
const everyRequestAnswered: [Unanswered] extends [never] ? true : Unanswered = true;
void everyRequestAnswered;
