/**
 * A `streamlab start` for benches that measure what a learner sees: embedded defaults, a fresh data
 * directory, no STREAMLAB_* variables of the caller, and one websocket client that speaks the
 * protocol as the workbench does (hello first, requests matched to replies by id).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../runtime/src/protocol/version.js';

const BIN = fileURLToPath(new URL('../../runtime/bin/streamlab.js', import.meta.url));

/** A message of the protocol, loosely typed: benches read a few fields of it. */
export type Message = { kind: string; id?: string; runId?: string; [k: string]: unknown };

/** The environment of a started runtime: the caller's, without its Streamlab settings or a display. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STREAMLAB_') && k !== 'DISPLAY' && k !== 'WAYLAND_DISPLAY') env[k] = v;
  return env;
}

export interface BenchRuntime {
  /** Every message the runtime sends goes to each listener. */
  readonly listeners: Set<(m: Message) => void>;
  /** The first message matching `pred`; rejects after `timeoutMs`. */
  waitFor(pred: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
  /** Sends a request with a fresh id and resolves with its reply. */
  request(message: Record<string, unknown>): Promise<Message>;
  /** The runtime's process id (`streamlab start`). */
  readonly pid: number;
  /** A websocket ping answered by the runtime's pong: the round trip in ms. */
  ping(): Promise<number>;
  /** Closes the client, stops the runtime with SIGINT and removes its data directory. */
  stop(): Promise<void>;
}

/** Starts the runtime, waits for its ready line, connects and says hello. */
export async function startRuntime(): Promise<BenchRuntime> {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-bench-'));
  const child = spawn(process.execPath, [BIN, 'start', '--no-open', '--port', '0', '--data-dir', join(dir, 'data')], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Streamlab ready: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`streamlab start exited before its ready line: ${out}`)));
  });
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/ws?token=${u.searchParams.get('token')}`, { headers: { origin: u.origin } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const listeners = new Set<(m: Message) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as Message;
    for (const l of listeners) l(m);
  });
  let nextId = 0;
  function waitFor(pred: (m: Message) => boolean, timeoutMs = 300_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(l);
        reject(new Error(`no answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const l = (m: Message) => {
        if (!pred(m)) return;
        clearTimeout(timer);
        listeners.delete(l);
        resolve(m);
      };
      listeners.add(l);
    });
  }
  function request(message: Record<string, unknown>): Promise<Message> {
    const id = String(++nextId);
    const answer = waitFor((m) => m.id === id);
    ws.send(JSON.stringify({ ...message, id }));
    return answer;
  }
  await request({ kind: 'hello', versions: [PROTOCOL_VERSION] });
  return {
    listeners,
    waitFor,
    request,
    pid: child.pid!,
    ping() {
      const t0 = performance.now();
      return new Promise((resolve) => {
        ws.once('pong', () => resolve(performance.now() - t0));
        ws.ping();
      });
    },
    async stop() {
      ws.close();
      child.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
