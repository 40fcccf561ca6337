/**
 * A closed socket keeps its runs for the grace period (a reconnect with the session id gets them back)
 * and stops them after it: their job processes are gone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import type { ServerEvent, ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { jobProcesses } from '../../services/job-processes.js';
import { initialState, reduceEvent } from '../../../workbench/src/session/session-state.js';
import { adaptEvent } from '../../../workbench/src/client/adapt.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'session-test-token-0123456789';
const servers: RuntimeServer[] = [];
const TICKING = 'setInterval(() => console.log("tick"), 60_000);\n';

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serverWithGrace(socketGraceMs: number): Promise<RuntimeServer> {
  const server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, limits: { socketGraceMs } }), services: {} });
  servers.push(server);
  return server;
}

async function connect(server: RuntimeServer, session?: string, versions = [1]): Promise<{ client: TestClient; session: string }> {
  const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  const hello = await client.request({ kind: 'hello', versions, ...(session ? { session } : {}) }) as ServerMessageOf<'hello.ok'>;
  return { client, session: hello.session! };
}

async function startTicking(client: TestClient, mode: 'system' | 'manual' = 'system'): Promise<string> {
  const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: TICKING }], mode });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  await client.waitFor((m) => m.kind === 'run.status' && m.runId === reply.runId && m.state === 'running');
  return reply.runId;
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 50));
}

describe('sessions', () => {
  it('a reconnect within the grace period keeps the runs', async () => {
    const server = await serverWithGrace(600_000);
    const first = await connect(server);
    const runId = await startTicking(first.client);
    await first.client.close();
    const second = await connect(server, first.session);
    expect(second.session).toBe(first.session);
    expect(await second.client.request({ kind: 'run.stop', runId })).toEqual({ kind: 'run.stop.ok', id: '2', runId });
    expect((await second.client.runEnded(runId)).state).toBe('stopped');
    await second.client.close();
  });

  it('a reloaded page that comes back with its session id hears, after hello, of each run the session has going', async () => {
    const server = await serverWithGrace(600_000);
    const first = await connect(server);
    const runId = await startTicking(first.client);
    const ended = await startTicking(first.client);
    expect(await first.client.request({ kind: 'run.stop', runId: ended })).toMatchObject({ kind: 'run.stop.ok' });
    await first.client.runEnded(ended);
    await first.client.close();
    // A new page: it knows its session id (kept in the tab) and nothing of the runs.
    const second = await connect(server, first.session);
    expect(second.session).toBe(first.session);
    await second.client.waitFor((m) => m.kind === 'run.status' && m.runId === runId);
    // The reply first, then the live run's last status, and nothing of the run that ended.
    expect(second.client.messages.map((m) => m.kind === 'run.status' ? [m.kind, m.runId, m.state] : [m.kind])).toEqual([['hello.ok'], ['run.status', runId, 'running']]);
    expect(await second.client.request({ kind: 'run.stop', runId })).toMatchObject({ kind: 'run.stop.ok', runId });
    expect((await second.client.runEnded(runId)).state).toBe('stopped');
    await second.client.close();
  });

  it("a reattached page hears each live run's clock mode and manual clock (protocol 9); an older client hears the status as its version had it", async () => {
    const server = await serverWithGrace(600_000);
    const first = await connect(server, undefined, [9]);
    const manual = await startTicking(first.client, 'manual');
    expect(await first.client.request({ kind: 'run.step', runId: manual, advanceMs: 5000 })).toMatchObject({ kind: 'run.step.ok', clockMs: 5000 });
    const system = await startTicking(first.client);
    await first.client.close();
    const second = await connect(server, first.session, [9]);
    await second.client.waitFor((m) => m.kind === 'run.status' && m.runId === manual);
    expect(second.client.messages.slice(1)).toEqual([
      { kind: 'run.status', runId: system, state: 'running', mode: 'system' },
      { kind: 'run.status', runId: manual, state: 'running', mode: 'manual', clockMs: 5000 },
    ]);
    await second.client.close();
    const older = await connect(server, first.session, [8]);
    await older.client.waitFor((m) => m.kind === 'run.status' && m.runId === manual);
    expect(older.client.messages.slice(1)).toEqual([
      { kind: 'run.status', runId: system, state: 'running' },
      { kind: 'run.status', runId: manual, state: 'running' },
    ]);
    for (const runId of [manual, system]) await older.client.request({ kind: 'run.stop', runId });
    await older.client.close();
  });

  it('a reloaded page follows the newest of its two live runs, and another learner hears of neither', async () => {
    const server = await serverWithGrace(600_000);
    const a = await connect(server, undefined, [9]);
    const b = await connect(server, undefined, [9]);
    // Learner A presses Run twice (the first run still going); B runs once.
    const older = await startTicking(a.client);
    const newer = await startTicking(a.client);
    const bRun = await startTicking(b.client);
    await a.client.close();
    // A's page is reloaded: it starts empty and takes up the run it hears of first, as the workbench does.
    const reloaded = await connect(server, a.session, [9]);
    await reloaded.client.waitFor((m) => m.kind === 'run.status' && m.runId === older);
    const repeated = reloaded.client.messages.filter((m) => m.kind === 'run.status');
    expect(repeated.map((m) => m.kind === 'run.status' && m.runId)).toEqual([newer, older]);
    let page = initialState();
    for (const m of repeated) page = reduceEvent(page, adaptEvent(m as ServerEvent));
    expect(page.run).toMatchObject({ runId: newer, status: 'running' });
    // B's page, reloaded too, hears of B's run alone.
    await b.client.close();
    const bReloaded = await connect(server, b.session, [9]);
    await bReloaded.client.waitFor((m) => m.kind === 'run.status' && m.runId === bRun);
    expect(bReloaded.client.messages.slice(1)).toEqual([{ kind: 'run.status', runId: bRun, state: 'running', mode: 'system' }]);
    for (const runId of [older, newer]) await reloaded.client.request({ kind: 'run.stop', runId });
    await bReloaded.client.request({ kind: 'run.stop', runId: bRun });
    await reloaded.client.close();
    await bReloaded.client.close();
  });

  it('after the grace period the runs are stopped and their processes are gone', async () => {
    const server = await serverWithGrace(0);
    const first = await connect(server);
    const runId = await startTicking(first.client);
    expect(jobProcesses().length).toBe(1);
    await first.client.close();
    await until(() => jobProcesses().length === 0);
    const second = await connect(server, first.session);
    expect(second.session).not.toBe(first.session);
    expect(await second.client.request({ kind: 'run.stop', runId })).toEqual({ kind: 'error', id: '2', code: 'not-found', message: `No run ${runId} in this session.` });
    await second.client.close();
  });
});
