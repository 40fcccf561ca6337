/**
 * A small protocol client for the server tests: sends requests, awaits the reply with the same id, and
 * collects events.
 */
import WebSocket from 'ws';
import {
  decodeServerMessage, PROTOCOL_VERSION, type ClientMessageInput, type ServerMessageOf, type VersionedServerMessage,
} from '../../../runtime/src/protocol/index.js';

/** A message as the negotiated version has it. */
type ServerMessage = VersionedServerMessage;

/** A connected test client. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  /** Frames from the server that did not decode as server messages (should stay empty). */
  readonly invalid: string[] = [];
  /** Replies (`error` or `*.ok`) received so far. */
  replyCount = 0;
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private nextId = 1;
  /** The version `hello.ok` negotiated; messages are decoded as that version has them. */
  version = PROTOCOL_VERSION;
  closeCode: number | null = null;
  closeReason = '';
  readonly closed: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.invalid.push('binary frame');
        return;
      }
      const decoded = decodeServerMessage(String(data), this.version);
      if (!decoded.ok) {
        this.invalid.push(`${decoded.message}: ${String(data).slice(0, 200)}`);
        return;
      }
      if (decoded.message.kind === 'hello.ok') this.version = decoded.message.version;
      this.messages.push(decoded.message);
      if (decoded.message.kind === 'error' || decoded.message.kind.endsWith('.ok')) this.replyCount++;
      for (const w of [...this.waiters]) {
        if (w.test(decoded.message)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(decoded.message);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      resolve();
    }));
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Sends raw text or bytes. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Sends a request (id filled in) and resolves with its reply. */
  request<K extends ClientMessageInput['kind']>(message: Omit<Extract<ClientMessageInput, { kind: K }>, 'id'> & { kind: K }): Promise<ServerMessage> {
    const id = String(this.nextId++);
    const reply = this.waitFor((m) => 'id' in m && m.id === id);
    this.ws.send(JSON.stringify({ ...message, id }));
    return reply;
  }

  /** Resolves with the first message (already received or future) that passes `test`. */
  waitFor(test: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Resolves with the run's terminal status event. */
  runEnded(runId: string): Promise<ServerMessageOf<'run.status'>> {
    return this.waitFor((m) => m.kind === 'run.status' && m.runId === runId && ['failed', 'finished', 'stopped'].includes(m.state)) as Promise<ServerMessageOf<'run.status'>>;
  }

  /** Events of one run, in order. */
  eventsOf(runId: string): ServerMessage[] {
    return this.messages.filter((m) => 'runId' in m && m.runId === runId && m.kind !== 'run.start.ok' && m.kind !== 'run.stop.ok' && m.kind !== 'run.step.ok');
  }

  /** Sends hello (offering protocol 1 unless `versions` says otherwise) and returns the reply. */
  hello(token?: string, versions: number[] = [1], session?: string): Promise<ServerMessage> {
    return this.request({ kind: 'hello', versions, ...(token ? { token } : {}), ...(session ? { session } : {}) });
  }

  close(): Promise<void> {
    this.ws.close();
    return this.closed;
  }
}
