/**
 * The watchdog tells an endless loop from a run that waits for the CPU: it counts the job process's
 * own CPU time, so a run that gets no CPU for a while (a busy classroom machine) is left alone, and a
 * run that blocks without using the CPU is stopped after its own, longer limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { VersionedServerMessage as ServerMessage } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { jobProcesses } from '../../services/job-processes.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'watchdog-test-token-0123456789';
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, limits: { unresponsiveMs: 500, blockedMs: 3000 } }), services: {} });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello();
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

function withoutRunId(events: ServerMessage[]): ServerMessage[] {
  return events.map((e) => {
    const { runId: _runId, ...rest } = e as ServerMessage & { runId: string };
    return rest as ServerMessage;
  });
}

describe('watchdog', () => {
  it('leaves a run alone that gets no CPU for longer than the loop limit', async () => {
    // Prints twice, a tick apart; between the two lines the test freezes the process.
    const content = 'console.log("first");\nsetTimeout(() => console.log("second"), 200);\n';
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    await client.waitFor((m) => m.kind === 'run.log' && m.runId === reply.runId && m.text === 'first');
    const [pid] = jobProcesses();
    process.kill(pid!, 'SIGSTOP');
    // Frozen for three times the loop limit: a wall-clock watchdog would have stopped it by now.
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(pid!, 'SIGCONT');
    await client.runEnded(reply.runId);
    expect(withoutRunId(client.eventsOf(reply.runId))).toEqual([
      { kind: 'run.status', state: 'compiling' },
      { kind: 'run.status', state: 'starting' },
      { kind: 'run.status', state: 'running' },
      { kind: 'run.log', level: 'log', text: 'first' },
      { kind: 'run.log', level: 'log', text: 'second' },
      { kind: 'run.status', state: 'finished' },
    ]);
  });

  it('stops a run that blocks without using the CPU, after the blocked limit', async () => {
    const content = 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);\n';
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    await client.runEnded(reply.runId);
    const message = 'Your pipeline stopped responding for 3 s without using the CPU and was stopped: look for a wait that never ends.';
    expect(withoutRunId(client.eventsOf(reply.runId))).toEqual([
      { kind: 'run.status', state: 'compiling' },
      { kind: 'run.status', state: 'starting' },
      { kind: 'run.status', state: 'running' },
      { kind: 'run.error', message, code: 'unresponsive', file: null, line: null, column: null, stack: message },
      { kind: 'run.status', state: 'failed' },
    ]);
  });

  it('stops a run whose code waits for an await that never resolves, with nothing else running, at that line', async () => {
    const content = [
      'async function report(): Promise<void> {',
      '  console.log("waiting");',
      '  await new Promise<void>(() => {});',
      '  console.log("never");',
      '}',
      'export async function main(): Promise<void> {',
      '  await report();',
      '}',
      '',
    ].join('\n');
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    await client.runEnded(reply.runId);
    const message = 'Your pipeline waits at line 3 for an await that never resolves, with nothing else running, so it was stopped.';
    expect(withoutRunId(client.eventsOf(reply.runId))).toEqual([
      { kind: 'run.status', state: 'compiling' },
      { kind: 'run.status', state: 'starting' },
      { kind: 'run.status', state: 'running' },
      { kind: 'run.log', level: 'log', text: 'waiting' },
      { kind: 'run.error', message, code: 'unresponsive', file: 'pipeline.ts', line: 3, column: 3, stack: message },
      { kind: 'run.status', state: 'failed' },
    ]);
  });
});
