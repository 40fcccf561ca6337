/**
 * Run limits: the per-connection limit holds however the requests arrive, and the runtime-wide limit
 * puts later runs in a visible line ("2 runs ahead of yours") instead of refusing or overloading.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import type { ServerMessageOf } from '../../../runtime/src/protocol/index.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'run-limits-test-token-0123456789';
const TICKING = 'setInterval(() => console.log("tick"), 60_000);\n';
const servers: RuntimeServer[] = [];
const clients: TestClient[] = [];

afterAll(async () => {
  for (const c of clients) await c.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function server(limits: { maxRunsPerConnection?: number; maxRunsTotal?: number }): Promise<RuntimeServer> {
  const s = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, limits }), services: {} });
  servers.push(s);
  return s;
}

async function client(s: RuntimeServer, versions = [1, 2, 3, 4, 5]): Promise<TestClient> {
  const c = await TestClient.connect(`ws://127.0.0.1:${s.port}/ws?token=${TOKEN}`);
  clients.push(c);
  await c.hello(undefined, versions);
  return c;
}

async function start(c: TestClient): Promise<string> {
  const reply = await c.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: TICKING }], mode: 'system' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  return reply.runId;
}

const running = (c: TestClient, runId: string) => c.waitFor((m) => m.kind === 'run.status' && m.runId === runId && m.state === 'running');
/** The run's status events so far, without the run id. */
const statuses = (c: TestClient, runId: string) => c.messages
  .filter((m): m is ServerMessageOf<'run.status'> => m.kind === 'run.status' && m.runId === runId)
  .map(({ runId: _r, kind: _k, ...rest }) => rest);

describe('per-connection limit', () => {
  it('holds against ten run.start sent in one write', async () => {
    const s = await server({ maxRunsPerConnection: 4 });
    const c = await client(s);
    const replies = await Promise.all(Array.from({ length: 10 }, () => c.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: TICKING }], mode: 'system' })));
    const accepted = replies.filter((r) => r.kind === 'run.start.ok') as ServerMessageOf<'run.start.ok'>[];
    const refused = replies.filter((r) => r.kind === 'error');
    expect([accepted.length, refused.length]).toEqual([4, 6]);
    for (const r of refused) expect(r).toMatchObject({ kind: 'error', code: 'busy', message: 'At most 4 runs at a time: stop one first.' });
    for (const r of accepted) await running(c, r.runId);
    for (const r of accepted) await c.request({ kind: 'run.stop', runId: r.runId });
    // The slots come back once the runs have stopped.
    const again = await start(c);
    await running(c, again);
    await c.request({ kind: 'run.stop', runId: again });
  });
});

describe('runtime-wide limit', () => {
  it('queues runs beyond it, says how many are ahead, and starts them in order as slots free', async () => {
    const s = await server({ maxRunsTotal: 1 });
    const [ada, grace, linus] = [await client(s), await client(s), await client(s)];
    const first = await start(ada);
    await running(ada, first);
    const second = await start(grace);
    await grace.waitFor((m) => m.kind === 'run.status' && m.runId === second && m.state === 'queued');
    const third = await start(linus);
    await linus.waitFor((m) => m.kind === 'run.status' && m.runId === third && m.state === 'queued');
    expect(statuses(grace, second)).toEqual([{ state: 'queued', ahead: 0 }]);
    expect(statuses(linus, third)).toEqual([{ state: 'queued', ahead: 1 }]);

    await ada.request({ kind: 'run.stop', runId: first });
    await running(grace, second);
    await linus.waitFor((m) => m.kind === 'run.status' && m.runId === third && m.state === 'queued' && m.ahead === 0);
    expect(statuses(grace, second)).toEqual([
      { state: 'queued', ahead: 0 }, { state: 'compiling' }, { state: 'starting' }, { state: 'running' },
    ]);

    await grace.request({ kind: 'run.stop', runId: second });
    await running(linus, third);
    expect(statuses(linus, third)).toEqual([
      { state: 'queued', ahead: 1 }, { state: 'queued', ahead: 0 }, { state: 'compiling' }, { state: 'starting' }, { state: 'running' },
    ]);
    await linus.request({ kind: 'run.stop', runId: third });
  });

  it('takes a stopped run out of the line, and tells an older client in words', async () => {
    const s = await server({ maxRunsTotal: 1 });
    const [ada, grace] = [await client(s), await client(s)];
    const old = await client(s, [1, 2, 3, 4]);
    const first = await start(ada);
    await running(ada, first);
    const waiting = await start(grace);
    await grace.waitFor((m) => m.kind === 'run.status' && m.runId === waiting && m.state === 'queued');
    const behind = await start(old);
    await old.waitFor((m) => m.kind === 'run.status' && m.runId === behind);
    expect(statuses(old, behind)).toEqual([{ state: 'starting', message: 'Waiting for a free slot: 1 run ahead of yours.' }]);
    await grace.request({ kind: 'run.stop', runId: waiting });
    expect((await grace.runEnded(waiting)).state).toBe('stopped');
    await old.waitFor((m) => m.kind === 'run.status' && m.runId === behind && m.message === 'Waiting for a free slot: yours is next.');
    await ada.request({ kind: 'run.stop', runId: first });
    await running(old, behind);
    // The stopped run never started.
    expect(statuses(grace, waiting)).toEqual([{ state: 'queued', ahead: 0 }, { state: 'stopped' }]);
    expect([...ada.invalid, ...grace.invalid, ...old.invalid]).toEqual([]);
    await old.request({ kind: 'run.stop', runId: behind });
  });
});
