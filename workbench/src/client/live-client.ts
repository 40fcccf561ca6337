/**
 * The runtime over its websocket (`/ws?token=…`), speaking the protocol of `@streamlab/runtime/protocol`.
 *
 *   connect ─► open ─► hello ─► hello.ok ─► requests/events … ─► close ─► wait (backoff) ─► connect
 *
 * Requests carry an id and resolve on the matching `<kind>.ok` or `error`. A lost connection rejects the
 * pending requests, reconnects with backoff, and reports `reconnected` once it is back. A refused token
 * stops reconnecting: only a new URL from `streamlab start` helps.
 */
import {
  decodeServerMessage, encodeClientMessage, PROTOCOL_VERSION, replyKind, servingAnswer,
  type ClientKind, type ClientMessageInput, type ReplyOf, type RequestFields, type ServerMessage, type ServingAnswer,
} from '@streamlab/runtime/protocol';
import { adaptEvent } from './adapt.js';
import { ProtocolClient } from './protocol-client.js';
import { RuntimeError } from './runtime-client.js';

type Pending = { resolve: (m: ServerMessage) => void; reject: (e: Error) => void };
type RequestBody = ClientMessageInput extends infer M ? (M extends { id: string } ? Omit<M, 'id'> : never) : never;

const BACKOFF_MS = [250, 500, 1000, 2000, 4000];

/** Options; `url` is the websocket URL with the token. */
export interface LiveClientOptions {
  url: string;
  token: string;
  /** Injected for tests; defaults to the browser's WebSocket. */
  createSocket?: (url: string) => WebSocket;
  /** Where the tab keeps its session id across a reload; defaults to the browser's sessionStorage. */
  storage?: Storage | null;
}

/** sessionStorage key of the runtime session id (sessionStorage is per tab and per origin). */
export const SESSION_KEY = 'streamlab:session';

/** The live websocket implementation of `RuntimeClient`. */
export class LiveClient extends ProtocolClient {
  private socket: WebSocket | null = null;
  private ready: Promise<void> | null = null;
  private pending = new Map<string, Pending>();
  private nextId = 1;
  private closedByUs = false;
  private everOpen = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The runtime's session id from `hello.ok`; sent again on reconnect so runs and tails survive, and
   * kept in the tab's sessionStorage, so a reload within the runtime's grace period gets the same
   * session back: its runs, and on a runtime learners share its topics, saved state and tables.
   */
  private sessionId: string | null;
  private readonly storage: Storage | null;

  constructor(private readonly options: LiveClientOptions) {
    super();
    this.storage = options.storage !== undefined ? options.storage : typeof sessionStorage === 'undefined' ? null : sessionStorage;
    this.sessionId = this.read();
  }

  private read(): string | null {
    try {
      return this.storage?.getItem(SESSION_KEY) ?? null;
    } catch {
      return null;
    }
  }

  private remember(session: string | null): void {
    try {
      if (session) this.storage?.setItem(SESSION_KEY, session);
      else this.storage?.removeItem(SESSION_KEY);
    } catch {
      // Storage refused (private mode, quota): a reload then starts a new session.
    }
  }

  /** The websocket URL for a page served by the runtime. */
  static urlFor(location: Location, token: string): string {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
  }

  connect(): void {
    this.closedByUs = false;
    this.open();
  }

  reconnectNow(): void {
    if (this.connection.state !== 'reconnecting' || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  close(): void {
    this.closedByUs = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'closed by the workbench');
    this.setConnection({ state: 'closed', attempt: 0 });
  }


  private open(): void {
    const attempt = this.connection.attempt;
    this.setConnection({ ...this.connection, state: attempt > 0 ? 'reconnecting' : 'connecting' });
    const socket = (this.options.createSocket ?? ((u) => new WebSocket(u)))(this.options.url);
    this.socket = socket;
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    // Callers awaiting `ready` get the rejection; an unobserved one must not surface as unhandled.
    this.ready.catch(() => undefined);
    socket.addEventListener('open', () => {
      const resume = this.sessionId ? { session: this.sessionId } : {};
      this.sendRaw({ kind: 'hello', versions: [PROTOCOL_VERSION], token: this.options.token, client: 'streamlab-workbench', ...resume })
        .then((reply) => {
          const wasLost = this.everOpen;
          const session = (reply as { session?: string }).session ?? null;
          const resumed = wasLost && session !== null && session === this.sessionId;
          this.sessionId = session;
          this.remember(session);
          this.everOpen = true;
          this.setConnection({
            state: 'open', attempt: 0, reconnected: wasLost, resumed,
            message: !wasLost ? undefined : resumed ? 'Reconnected to the runtime.' : 'Reconnected to a restarted runtime: runs from before are gone.',
          });
          resolveReady();
        })
        .catch((e: Error) => {
          if (e instanceof RuntimeError && (e.code === 'unauthorized' || e.code === 'version-mismatch')) {
            this.closedByUs = true;
            this.setConnection({
              state: 'unauthorized', attempt: 0,
              message: e.code === 'unauthorized'
                ? 'The runtime refused this page’s token. Open the URL printed by `streamlab start` again.'
                : `This workbench speaks protocol ${PROTOCOL_VERSION}, which the runtime does not. Reload the page.`,
            });
          }
          rejectReady(e);
          socket.close();
        });
    });
    let opened = false;
    socket.addEventListener('open', () => (opened = true));
    socket.addEventListener('message', (ev) => this.receive(String(ev.data)));
    socket.addEventListener('close', (ev) => {
      rejectReady(new RuntimeError('unavailable', 'The connection to the runtime closed.'));
      for (const p of this.pending.values()) p.reject(new RuntimeError('unavailable', 'The connection to the runtime was lost before it answered.'));
      this.pending.clear();
      if (this.socket === socket) this.socket = null;
      if (this.closedByUs) return;
      if (ev.code === 4401 || ev.code === 1008) {
        this.setConnection({ state: 'unauthorized', attempt: 0, message: 'The runtime refused this page’s token. Open the URL printed by `streamlab start` again.' });
        return;
      }
      const next = this.connection.attempt + 1;
      const delay = BACKOFF_MS[Math.min(next - 1, BACKOFF_MS.length - 1)]!;
      this.setConnection({
        state: 'reconnecting', attempt: next,
        message: `Lost the connection to the runtime. Reconnecting (attempt ${next})… Is \`streamlab start\` still running?`,
      });
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.open();
      }, delay);
      // A refused upgrade looks like a network error to a WebSocket; ask over HTTP whether it was the token.
      if (!opened) void this.tokenRefused().then((refused) => {
        if (!refused || this.closedByUs) return;
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.closedByUs = true;
        this.setConnection({ state: 'unauthorized', attempt: 0, message: 'The runtime refused this page’s token. Open the URL printed by `streamlab start` again.' });
      });
    });
  }

  /** True when the runtime answers and says the token is wrong (a new runtime prints a new token). */
  private async tokenRefused(): Promise<boolean> {
    try {
      const info = new URL(this.options.url.replace(/^ws/, 'http'));
      info.pathname = '/api/info';
      const response = await fetch(info, { cache: 'no-store' });
      return response.status === 401;
    } catch {
      return false;
    }
  }

  private receive(text: string): void {
    const decoded = decodeServerMessage(text);
    if (!decoded.ok) {
      // A message this build cannot read: report it on the request it answers, if any.
      const p = decoded.id ? this.pending.get(decoded.id) : undefined;
      if (p && decoded.id) {
        this.pending.delete(decoded.id);
        p.reject(new RuntimeError(decoded.code, decoded.message));
      }
      return;
    }
    const message = decoded.message;
    if ('id' in message) {
      const p = message.id ? this.pending.get(message.id) : undefined;
      if (!p || !message.id) return;
      this.pending.delete(message.id);
      if (message.kind === 'error') p.reject(new RuntimeError(message.code, message.message));
      else p.resolve(message);
      return;
    }
    this.dispatch(adaptEvent(message));
  }

  private sendRaw(body: RequestBody): Promise<ServerMessage> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RuntimeError('unavailable', 'Not connected to the runtime.'));
    }
    const id = `w${this.nextId++}`;
    return new Promise<ServerMessage>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        socket.send(encodeClientMessage({ ...body, id } as ClientMessageInput));
      } catch (e) {
        this.pending.delete(id);
        reject(new RuntimeError('invalid-request', (e as Error).message));
      }
    });
  }

  /** Sends a request once connected and resolves with its reply (rejects on `error`). */
  async request<K extends ClientKind>(kind: K, fields: RequestFields<K>): Promise<ReplyOf<K>> {
    if (!this.ready) throw new RuntimeError('unavailable', 'Not connected to the runtime.');
    await this.ready;
    const reply = await this.sendRaw({ kind, ...fields } as RequestBody);
    if (reply.kind !== replyKind(kind)) throw new RuntimeError('internal', `The runtime answered ${kind} with ${reply.kind}.`);
    return reply as ReplyOf<K>;
  }

  async serving(lessonId: string): Promise<ServingAnswer | null> {
    // An HTTP endpoint of the runtime that served this page, behind the same token as the websocket.
    const base = this.options.url.replace(/^ws/, 'http').replace(/\/ws\?.*$/, '');
    let res: Response;
    try {
      // The session names whose tables answer on a runtime learners share (each has a schema of its own).
      const session = this.sessionId ? `&session=${encodeURIComponent(this.sessionId)}` : '';
      res = await fetch(`${base}/api/serving?lesson=${encodeURIComponent(lessonId)}${session}`, { headers: { authorization: `Bearer ${this.options.token}` }, cache: 'no-store' });
    } catch (e) {
      throw new RuntimeError('unavailable', `The serving layer did not answer: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status === 404) return null;
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new RuntimeError(res.status === 401 ? 'unauthorized' : 'unavailable', (body as { error?: string } | null)?.error ?? `The serving layer answered ${res.status}.`);
    const answer = servingAnswer.safeParse(body);
    if (!answer.success) throw new RuntimeError('bad-message', 'The serving layer answered in a shape this workbench does not know.');
    return answer.data;
  }

}
