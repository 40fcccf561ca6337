/**
 * Sockets must finish `hello` before a deadline, and sockets that have not shown the token yet are
 * capped: anyone who can reach the port can open them, so they must not pile up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'admission-test-token-0123456789';
const servers: RuntimeServer[] = [];
let wsUrl: string;
/** A server whose hello deadline no test waits for, so the cap is all that limits its sockets. */
let cappedUrl: string;

async function serverWith(helloTimeoutMs: number, maxUnauthenticatedSockets: number): Promise<string> {
  const server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, helloTimeoutMs, maxUnauthenticatedSockets }), services: {} });
  servers.push(server);
  return `ws://127.0.0.1:${server.port}/ws`;
}

beforeAll(async () => {
  wsUrl = await serverWith(2000, 64);
  cappedUrl = await serverWith(600_000, 3);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('hello deadline', () => {
  it('closes a socket with the token in its URL that never says hello', async () => {
    const c = await TestClient.connect(`${wsUrl}?token=${TOKEN}`);
    await c.closed;
    expect([c.closeCode, c.closeReason]).toEqual([4408, 'No hello within 2 s']);
  });

  it('closes a socket without the token that never says hello', async () => {
    const c = await TestClient.connect(wsUrl);
    await c.closed;
    expect([c.closeCode, c.closeReason]).toEqual([4408, 'No hello within 2 s']);
  });

  it('keeps a socket whose hello came in time', async () => {
    const greeted = await TestClient.connect(`${wsUrl}?token=${TOKEN}`);
    expect(await greeted.hello()).toMatchObject({ kind: 'hello.ok' });
    // Opened later, so its deadline passes after the greeted socket's would have.
    const silent = await TestClient.connect(`${wsUrl}?token=${TOKEN}`);
    await silent.closed;
    expect(silent.closeCode).toBe(4408);
    expect(greeted.closeCode).toBeNull();
    expect(await greeted.hello()).toMatchObject({ kind: 'hello.ok' });
    await greeted.close();
  });
});

describe('sockets without the token', () => {
  it('are capped; a socket with the token still gets in, and a slot frees once one shows the token', async () => {
    const waiting = await Promise.all([0, 1, 2].map(() => TestClient.connect(cappedUrl)));
    await expect(TestClient.connect(cappedUrl)).rejects.toThrow('HTTP 503');
    const withToken = await TestClient.connect(`${cappedUrl}?token=${TOKEN}`);
    expect(await withToken.hello()).toMatchObject({ kind: 'hello.ok' });
    // The slot is free before hello.ok is sent.
    expect(await waiting[0]!.hello(TOKEN)).toMatchObject({ kind: 'hello.ok' });
    const next = await TestClient.connect(cappedUrl);
    await expect(TestClient.connect(cappedUrl)).rejects.toThrow('HTTP 503');
    for (const c of [withToken, ...waiting, next]) await c.close();
  });
});
