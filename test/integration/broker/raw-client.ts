/**
 * A one-connection Kafka client for wire-level tests: sends whole frames and returns each
 * response's body (after the correlation id), in order. Requests are encoded by kafkajs's own
 * encoders (see ../../unit/broker/kafkajs-protocol.ts) or built by hand.
 */
import { connect, type Socket } from 'node:net';

/** Sends frames and reads framed responses. */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private waiting: Array<(frame: Buffer) => void> = [];
  private closedWith: Array<() => void> = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length < 4 + size) break;
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.waiting.shift()?.(frame);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const f of this.closedWith.splice(0)) f();
    });
    socket.on('error', () => undefined);
  }

  /** Connects to `host:port`. */
  static async connect(bootstrap: string): Promise<RawClient> {
    const [host, port] = bootstrap.split(':');
    const socket = connect(Number(port), host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  /** Sends one frame and resolves with the response frame (correlation id + body). */
  send(frame: Buffer): Promise<{ correlationId: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('connection already closed'));
      this.waiting.push((f) => resolve({ correlationId: f.readInt32BE(0), body: Buffer.from(f.subarray(4)) }));
      this.closedWith.push(() => reject(new Error('connection closed by the broker')));
      this.socket.write(frame);
    });
  }

  /** Sends a frame for which no response is due; resolves when the broker closes, or after `ms`. */
  sendExpectingClose(frame: Buffer, ms: number): Promise<'closed' | 'open'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('open'), ms);
      this.closedWith.push(() => {
        clearTimeout(timer);
        resolve('closed');
      });
      this.socket.write(frame);
    });
  }

  /** Resolves once the broker (or this client) has closed the connection. */
  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closedWith.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}
