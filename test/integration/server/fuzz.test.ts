/**
 * Sends 10,000 random and mutated frames to one server (bad JSON, wrong types, huge strings, unknown
 * kinds, binary frames, mutated valid messages). Every frame gets exactly one reply, an error or a valid
 * reply, and the server still answers hello afterwards. Seeded, so a failure reproduces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import { TestClient } from './ws-client.js';
import { seededRandom } from '../../services/seeded-random.js';

const TOKEN = 'fuzz-test-token-0123456789ab';
const TOTAL = 10_000;
const CHUNK = 250;
let server: RuntimeServer;

beforeAll(async () => {
  // No Kafka or PostgreSQL: their requests answer `unavailable` at once, which keeps the test about the server.
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, limits: { maxRunsPerConnection: 2 } }), services: {} });
});

afterAll(async () => {
  await server?.close();
});

const fixtureDir = fileURLToPath(new URL('../../unit/protocol/fixtures/client/', import.meta.url));
// Every client message kind, as mutation seeds (valid run.start frames do start job processes, capped per connection).
const valid = readdirSync(fixtureDir).map((f) => JSON.parse(readFileSync(fixtureDir + f, 'utf8')) as Record<string, unknown>);

it('answers every one of 10,000 random and mutated frames and stays healthy', async () => {
  const random = seededRandom(20261121);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const randomValue = (): unknown => pick<() => unknown>([
    () => Math.floor(random() * 1e9) - 5e8,
    () => random(),
    () => 'x'.repeat(Math.floor(random() * 100)),
    () => '\u0000\ud800'.repeat(Math.floor(random() * 10)),
    () => 'y'.repeat(200_000),
    () => null,
    () => true,
    () => [],
    () => [1, 'a', null],
    () => ({}),
    () => ({ kind: 'hello' }),
    () => -0,
    () => 1e308,
  ])();
  const client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  expect(await client.hello()).toMatchObject({ kind: 'hello.ok', version: 1 });
  const repliesBefore = client.replyCount;
  const messagesBefore = client.messages.length;

  const frame = (i: number): { data: string | Buffer; binary: boolean } => {
    const id = `f${i}`;
    const r = random();
    if (r < 0.1) return { data: Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))), binary: true };
    const base = { ...pick(valid), id };
    if (r < 0.25) {
      const text = JSON.stringify(base);
      return { data: text.slice(0, Math.floor(random() * text.length)), binary: false };
    }
    if (r < 0.35) return { data: JSON.stringify({ ...base, kind: pick(['run.explode', '', 'HELLO', 'x'.repeat(5000), 'topics.list.ok', 'error']) }), binary: false };
    if (r < 0.4) return { data: JSON.stringify(randomValue()), binary: false };
    const mutated: Record<string, unknown> = { ...base };
    const keys = Object.keys(mutated).filter((k) => k !== 'id');
    const ops = 1 + Math.floor(random() * 3);
    for (let k = 0; k < ops; k++) {
      const op = random();
      const key = pick(keys);
      if (op < 0.5) mutated[key] = randomValue();
      else if (op < 0.7) delete mutated[key];
      else if (op < 0.85) mutated[pick(['extra', '__proto__', 'constructor', 'token'])] = randomValue();
      else if (Array.isArray(mutated.files)) mutated.files = [{ path: pick(['a.ts', '../x.ts', '/etc/passwd', 'b.js']), content: pick(['', 'x'.repeat(600_000), '}{']) }];
    }
    if (random() < 0.1) mutated.id = randomValue();
    return { data: JSON.stringify(mutated), binary: false };
  };

  for (let start = 0; start < TOTAL; start += CHUNK) {
    for (let i = start; i < Math.min(start + CHUNK, TOTAL); i++) {
      const f = frame(i);
      client.sendRaw(f.data, f.binary);
    }
    const expected = repliesBefore + Math.min(start + CHUNK, TOTAL);
    await client.waitFor(() => client.replyCount >= expected);
  }
  const replies = client.messages.slice(messagesBefore).filter(isReply);
  expect(replies.length).toBe(TOTAL);
  expect(client.invalid).toEqual([]);
  expect(client.closeCode).toBe(null);
  // No reply leaks a stack trace or a path on this machine.
  const leaks = replies.filter((m) => m.kind === 'error' && /\n\s+at |\/(?:home|work|tmp|usr|root)\//.test(m.message));
  expect(leaks).toEqual([]);

  expect(await client.hello()).toMatchObject({ kind: 'hello.ok', version: 1 });
  await client.close();
  const fresh = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  expect(await fresh.hello()).toMatchObject({ kind: 'hello.ok', version: 1 });
  await fresh.close();
  expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
});

function isReply(m: { kind: string }): boolean {
  return m.kind === 'error' || m.kind.endsWith('.ok');
}
