/**
 * Lesson 07's serving layer over HTTP, through `streamlab start` on a fresh data directory: the
 * solution runs on the manual clock (its batch layer writes the batch view, its speed layer upserts
 * the announced days), and `GET /api/serving?lesson=07-lambda-architecture` answers the serving view
 * beside the lake's weekly DAX closes and their rolling correlation with the cases. The answer cache
 * serves a second request as a hit, drops the answer when a speed batch or a batch-layer run
 * commits, and never answers with rows the database no longer holds. Without the token the endpoint
 * says 401; from another site's page, 403.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { lakeFiles } from '../../../runtime/src/datagen/index.js';
import { learnerDatabase } from '../../../runtime/src/connectors/postgres/restricted-role.js';
import { loadLessons } from '../../../runtime/src/lessons/load-lessons.js';
import { PROTOCOL_VERSION, servingAnswer, type ServerMessageOf, type ServingAnswer } from '../../../runtime/src/protocol/index.js';
import { repoRoot, startRuntime, type RuntimeProcess } from '../../e2e/runtime-process.js';
import { databaseUrl, freshName } from '../../services/inject.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'serving-endpoint-test-token-0123456789';
const LESSON = '07-lambda-architecture';
const SOLUTION = readFileSync(join(repoRoot, 'lessons', LESSON, 'solution.ts'), 'utf8');
let runtime: RuntimeProcess;
let client: TestClient;
let lake: Record<string, string>;
/** The runtime's database URL: the suite's PostgreSQL with the test's learner schema. */
let pgUrl: string;

beforeAll(async () => {
  lake = lakeFiles((await loadLessons(join(repoRoot, 'lessons'))).find((l) => l.id === LESSON)!.lake!);
  // A learner schema of the test's own: other tests on the shared database write lesson 07's views too,
  // and the endpoint must first be seen answering before any view exists.
  const url = databaseUrl();
  pgUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${freshName('serving')}`)}`;
  runtime = await startRuntime({ pg: pgUrl, token: TOKEN });
  client = await TestClient.connect(`ws://127.0.0.1:${new URL(runtime.url).port}/ws?token=${TOKEN}`);
  expect(await client.hello(undefined, [PROTOCOL_VERSION])).toMatchObject({ kind: 'hello.ok' });
});

afterAll(async () => {
  await client?.close();
  await runtime?.stop();
});

/** GET on the runtime with `headers`; status, the X-Cache header and the body. */
async function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<{ status: number; cache: string | null; body: unknown }> {
  const res = await fetch(`${runtime.origin}${path}`, { headers });
  return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json() };
}

/** The serving answer, checked against the protocol's schema. */
async function serving(): Promise<ServingAnswer & { header: string | null }> {
  const res = await get(`/api/serving?lesson=${LESSON}`);
  if (res.status !== 200) throw new Error(`serving answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { ...servingAnswer.parse(res.body), header: res.cache };
}

/** The serving view as the database holds it now (the Database panel's query). */
async function databaseRows(): Promise<[string, string, number, number, string][]> {
  const reply = await client.request({ kind: 'db.query', sql: "select to_char(week, 'YYYY-MM-DD'), country, cases, deaths, layer from serving order by week, country, layer" });
  if (reply.kind !== 'db.query.ok') throw new Error(JSON.stringify(reply));
  return reply.rows.map((r) => [String(r[0]), String(r[1]), Number(r[2]), Number(r[3]), String(r[4])]);
}

const served = (a: ServingAnswer) => a.rows.map((r) => [r.week, r.country, r.cases, r.deaths, r.layer]);

/** The lake's weekly DAX closes (the last trading day's close of each Monday-to-Sunday week), read from its CSV files. */
function weeklyCloses(): Map<string, number> {
  const out = new Map<string, number>();
  const files = Object.entries(lake).filter(([path]) => path.startsWith('dax/')).sort(([a], [b]) => a.localeCompare(b));
  for (const [, text] of files) {
    const [date, close] = text.trim().split('\n')[1]!.split(',');
    const day = new Date(`${date}T00:00:00Z`);
    const monday = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    out.set(monday, Number(close));
  }
  return out;
}

/** Pearson's correlation of two series (null for fewer than two points or a constant one). */
function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** Checks the DAX and rolling-correlation columns against the lake, computed here. */
function expectDaxAndCorrelation(a: ServingAnswer): void {
  const closes = weeklyCloses();
  for (const r of a.rows) expect(r.dax).toBe(closes.get(r.week) ?? null);
  for (const country of new Set(a.rows.map((r) => r.country))) {
    const rows = a.rows.filter((r) => r.country === country);
    rows.forEach((r, i) => {
      const window = rows.slice(Math.max(0, i - a.rollingWeeks + 1), i + 1).filter((w) => w.dax !== null && w.cases !== null);
      const want = pearson(window.map((w) => w.dax!), window.map((w) => w.cases!));
      if (want === null) expect(r.rollingCorr).toBeNull();
      else expect(r.rollingCorr).toBeCloseTo(want, 9);
    });
  }
}

async function runSolution(code: string): Promise<string> {
  await client.request({ kind: 'lessons.get', lessonId: LESSON });
  const reply = await client.request({ kind: 'run.start', lessonId: LESSON, files: [{ path: 'solution.ts', content: code }], mode: 'manual' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  const m = await client.waitFor((e) => e.kind === 'run.status' && e.runId === reply.runId && ['running', 'idle', 'failed', 'finished', 'stopped'].includes(e.state));
  if (m.kind === 'run.status' && !['running', 'idle'].includes(m.state)) throw new Error(`run ${m.state}: ${JSON.stringify(client.eventsOf(reply.runId))}`);
  return reply.runId;
}

async function step(runId: string, advanceMs: number): Promise<ServerMessageOf<'run.step.ok'>> {
  const reply = await client.request({ kind: 'run.step', runId, advanceMs });
  if (reply.kind !== 'run.step.ok') throw new Error(JSON.stringify(reply));
  return reply;
}

describe('the serving endpoint', () => {
  it('wants the token and the runtime\'s own origin, and says what it cannot answer', async () => {
    const path = `/api/serving?lesson=${LESSON}`;
    expect(await get(path, {})).toEqual({ status: 401, cache: null, body: { error: 'A valid token is required.' } });
    expect((await get(path, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect(await get(path, { authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' })).toEqual({ status: 403, cache: null, body: { error: 'This origin may not use the runtime.' } });
    expect((await get(`${path}&token=${TOKEN}`, { origin: runtime.origin })).status).not.toBe(403);
    expect(await get('/api/serving')).toEqual({ status: 400, cache: null, body: { error: 'Name the lesson: /api/serving?lesson=<id>.' } });
    expect(await get('/api/serving?lesson=99-none')).toEqual({ status: 404, cache: null, body: { error: 'No lesson "99-none".' } });
    expect(await get('/api/serving?lesson=03-structured-windows')).toEqual({ status: 404, cache: null, body: { error: 'Lesson "03-structured-windows" has no serving layer.' } });
    // Before the learner's code made the view.
    const early = await get(path);
    expect(early.status).toBe(409);
    expect((early.body as { error: string }).error).toMatch(/^The serving view "serving" cannot answer yet \(PostgreSQL: relation "serving" does not exist\): run the lesson, whose code makes it\.$/);
  });

  it('answers from the cache until new data commits, and never with rows the database no longer holds', async () => {
    const runId = await runSolution(SOLUTION);
    // The speed layer starts after the batch layer wrote and the serving view was made.
    await client.waitFor((e) => e.kind === 'run.query' && e.runId === runId);
    // The first announced day (Monday 2020-03-30) reaches the speed view.
    let first: ServingAnswer | undefined;
    for (let i = 0; i < 6 && !first?.rows.some((r) => r.layer === 'speed'); i++) {
      if ((await step(runId, 10_000)).batchesRun > 0) first = await serving();
    }
    expect(first!.rows.filter((r) => r.layer === 'speed').map((r) => r.week)).toEqual(['2020-03-30', '2020-03-30', '2020-03-30']);
    // The history's four weeks from the batch view, three countries each.
    expect([...new Set(first!.rows.filter((r) => r.layer === 'batch').map((r) => r.week))]).toEqual(['2020-03-02', '2020-03-09', '2020-03-16', '2020-03-23']);
    expect(served(first!)).toEqual(await databaseRows());
    expectDaxAndCorrelation(first!);

    // Nothing committed since: the same answer, from the cache.
    const again = await serving();
    expect([again.header, again.cache.status, again.cache.hits - first!.cache.hits, again.cache.misses - first!.cache.misses]).toEqual(['hit', 'hit', 1, 0]);
    expect(again.rows).toEqual(first!.rows);

    // The next day's reports: a speed batch commits, the answer is dropped and read again.
    const before = first!.rows.filter((r) => r.week === '2020-03-30').map((r) => r.cases);
    await step(runId, 10_000);
    const next = await serving();
    expect([next.header, next.cache.invalidations - again.cache.invalidations, next.cache.misses - again.cache.misses]).toEqual(['miss', 1, 1]);
    expect(served(next)).toEqual(await databaseRows());
    const after = next.rows.filter((r) => r.week === '2020-03-30').map((r) => r.cases);
    expect(after.every((c, i) => c! > before[i]!)).toBe(true);
    expectDaxAndCorrelation(next);
    expect((await serving()).cache.status).toBe('hit');
    await client.request({ kind: 'run.stop', runId });
    await client.runEnded(runId);

    // The nightly batch run caught up to 2020-04-05: the batch layer's write commits, the week of 03-30 is the batch view's now.
    const recomputed = await runSolution(SOLUTION.replace('const HISTORY_UNTIL = "2020-03-29";', 'const HISTORY_UNTIL = "2020-04-05";'));
    await client.waitFor((e) => e.kind === 'run.query' && e.runId === recomputed);
    const caughtUp = await serving();
    expect(caughtUp.cache.status).toBe('miss');
    expect([...new Set(caughtUp.rows.filter((r) => r.week === '2020-03-30').map((r) => r.layer))]).toEqual(['batch']);
    expect(served(caughtUp)).toEqual(await databaseRows());
    expectDaxAndCorrelation(caughtUp);
    await client.request({ kind: 'run.stop', runId: recomputed });
    await client.runEnded(recomputed);
  });
  it('says when the view has more rows than the 1000 it answers with', async () => {
    const small = await serving();
    expect([small.rows.length < 1000, small.truncated]).toEqual([true, false]);
    // A view of n weeks of one country, as a learner's view might grow, in the schema the run used
    // (made here as the suite's user, which grants the right to read it to the learner's role the endpoint reads as, and to no one else).
    const db = new pg.Client({ connectionString: pgUrl });
    await db.connect();
    const weeks = async (n: number) => db.query(`DROP VIEW IF EXISTS serving; CREATE VIEW serving AS
      SELECT (date '2000-01-03' + 7 * g)::date AS week, 'DE'::text AS country, g::float8 AS cases, 0::float8 AS deaths, 'batch'::text AS layer
        FROM generate_series(0, ${n - 1}) AS g;
      GRANT SELECT ON serving TO ${learnerDatabase(pgUrl).role}`);
    const firstWeeks = (n: number) => Array.from({ length: n }, (_, g) => new Date(Date.UTC(2000, 0, 3 + 7 * g)).toISOString().slice(0, 10));
    try {
      await weeks(1000);
      const full = await serving();
      expect([full.header, full.rows.length, full.truncated]).toEqual(['miss', 1000, false]);
      expect(full.rows.map((r) => r.week)).toEqual(firstWeeks(1000));
      await weeks(1001);
      const cut = await serving();
      expect([cut.header, cut.rows.length, cut.truncated]).toEqual(['miss', 1000, true]);
      expect(cut.rows.map((r) => [r.week, r.cases])).toEqual(firstWeeks(1000).map((w, g) => [w, g]));
      // The cache keeps the flag with the rows.
      const again = await serving();
      expect([again.header, again.rows, again.truncated]).toEqual(['hit', cut.rows, true]);
    } finally {
      // Granted to PUBLIC or left behind, the view would show in every later learner's table list.
      await db.query('DROP VIEW IF EXISTS serving');
      await db.end();
    }
  });
});
