/**
 * The classroom as users run it, in Docker: the real `Dockerfile` built and started, then
 * `docker compose -f compose/docker-compose.yml up` with a class roster, and a learner who connects
 * through the published port with their roster token (a token not on it refused), runs lesson 03's solution against the compose Kafka and PostgreSQL and passes Check, and lesson
 * 04's against the compose Kafka's SCRAM listener (a wrong password refused by Kafka itself); `down -v`
 * must leave no container, volume or network behind. The `grading` profile grades a folder of
 * submissions in the image and writes the class's reports where the instructor reads them.
 *
 * Images: NODE_IMAGE (the Dockerfile's base), KAFKA_IMAGE and POSTGRES_IMAGE default to the official
 * ones; where no registry answers, `scripts/classroom/images.sh` builds stand-ins and prints these
 * variables (.ci/run does). The daemon is STREAMLAB_DOCKER_HOST's, else DOCKER_HOST's: a daemon named
 * only for this tier does not turn the other tiers' services into containers. Skips, saying why, when
 * no Docker daemon answers or no Compose v2 plugin is installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ServerMessageOf, type StructuredBatchEvent } from '../../runtime/src/protocol/index.js';
import { freePort } from '../services/free-port.js';
import { TestClient } from '../integration/server/ws-client.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const NODE_IMAGE = process.env.NODE_IMAGE || 'node:20-bookworm-slim';
/** A tag of the test's own, so the run never replaces an image a user built. */
const VERSION = 'classroom-test';
const IMAGE = `streamlab:${VERSION}`;
const LESSON = '03-structured-windows';
/** Lesson 03's data: 45 generated readings and the 3 the lesson talks about. */
const LESSON_RECORDS = 48;
const SOLUTION = readFileSync(join(repoRoot, 'lessons', LESSON, 'solution.ts'), 'utf8');
const STARTER = readFileSync(join(repoRoot, 'lessons', LESSON, 'starter.ts'), 'utf8');
/** Lesson 04 reads the store's Kafka with SCRAM credentials: in compose, the SASL listener kafka-users made users on. */
const SASL_LESSON = '04-report-topic-and-output-modes';
const SASL_SOLUTION = readFileSync(join(repoRoot, 'lessons', SASL_LESSON, 'solution.ts'), 'utf8');
/** The image holds the runtime, the lessons and the built workbench; Monaco's sources stay out. */
const IMAGE_BUDGET_BYTES = 600 * 1024 * 1024;

const dockerEnv: NodeJS.ProcessEnv = { ...process.env, ...(process.env.STREAMLAB_DOCKER_HOST ? { DOCKER_HOST: process.env.STREAMLAB_DOCKER_HOST } : {}) };

function answers(args: string[]): string | undefined {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', env: dockerEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}
const daemon = answers(['version', '--format', '{{.Server.Version}}']);
const compose = daemon ? answers(['compose', 'version', '--short']) : undefined;
const skipReason = !daemon
  ? 'no Docker daemon answers (e.g. scripts/classroom/dockerd.sh start, then export STREAMLAB_DOCKER_HOST as it prints)'
  : !compose ? 'the docker CLI has no Compose v2 plugin (docker compose version fails)' : undefined;
if (skipReason) console.warn(`classroom tier skipped: ${skipReason}`);

/** Runs docker with the arguments; resolves with its output, rejects with it on a non-zero exit. */
function docker(args: string[], env: NodeJS.ProcessEnv = dockerEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { cwd: repoRoot, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')} failed (${error.code}):\n${stdout}\n${stderr}`.slice(-8000)));
      else resolve(stdout + stderr);
    });
  });
}

/** Polls until `probe` resolves to something other than undefined; the test's timeout bounds it. */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

let built = false;
/** Builds the real Dockerfile once, on NODE_IMAGE, with the host network (npm ci needs the registry). */
async function buildImage(): Promise<void> {
  if (built) return;
  await docker(['build', '--network', 'host', '--build-arg', `NODE_IMAGE=${NODE_IMAGE}`, '-t', IMAGE, '.']);
  built = true;
}

describe.skipIf(skipReason !== undefined)('the Streamlab image', () => {
  const name = `streamlab-image-test-${randomBytes(4).toString('hex')}`;
  afterAll(async () => { await docker(['rm', '-f', name]).catch(() => undefined); });

  it('builds from the Dockerfile, runs as the node user, serves the workbench and answers /healthz', async () => {
    await buildImage();
    const [size, user] = (await docker(['image', 'inspect', IMAGE, '--format', '{{.Size}} {{.Config.User}}'])).trim().split(' ');
    console.log(`classroom: ${IMAGE} on ${NODE_IMAGE}: ${(Number(size) / 1024 / 1024).toFixed(0)} MB`);
    expect(Number(size)).toBeLessThan(IMAGE_BUDGET_BYTES);
    expect(user).toBe('node');
    // The production dependencies only: no editor sources (vitest and its vite stay: Check runs them).
    const listing = await docker(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'id -u; ls node_modules; ls workbench/dist']);
    const [uid, ...names] = listing.trim().split('\n');
    expect(uid).toBe('1000');
    expect(names).not.toContain('monaco-editor');
    expect(names).toContain('index.html');
    // The runtime starts from the build the image made, which the node user may read but not change;
    // so does any other user (`docker run --user`, a cluster's runAsUser): nothing is built again,
    // and nothing falls back to the TypeScript sources (either would say so on stderr).
    const dist = await docker(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'ls -A runtime/dist; test -w runtime/dist || echo read-only']);
    expect(dist.trim()).toMatch(/^[0-9a-f]{16}\nread-only$/);
    for (const user of ['node', '4321:4321']) {
      expect(await docker(['run', '--rm', '--user', user, IMAGE, '--version'])).toMatch(/^streamlab \d+\.\d+\.\d+\n$/);
    }

    const token = randomBytes(12).toString('hex');
    const port = await freePort();
    await docker(['run', '-d', '--name', name, '-e', `STREAMLAB_TOKEN=${token}`, '-p', `127.0.0.1:${port}:5170`, IMAGE]);
    const ready = await until(async () => (await docker(['logs', name])).match(/Streamlab ready: (\S+)/)?.[1]);
    expect(ready).toBe(`http://127.0.0.1:5170/?token=${token}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const page = await fetch(`http://127.0.0.1:${port}/?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Streamlab</title>');
    // The image's own HEALTHCHECK (node fetching /healthz inside the container) turns healthy.
    await until(async () => ((await docker(['inspect', name, '--format', '{{.State.Health.Status}}'])).trim() === 'healthy' ? true : undefined));
  });
});

describe.skipIf(skipReason !== undefined)('docker compose -f compose/docker-compose.yml', () => {
  const project = `streamlab-classroom-${randomBytes(4).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'streamlab-compose-'));
  const clients: TestClient[] = [];
  let env: NodeJS.ProcessEnv = dockerEnv;
  let files: string[] = [];

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    if (files.length > 0) await docker(['compose', '-p', project, ...files, 'down', '-v', '--remove-orphans'], env).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('comes up healthy; a student on the roster runs lesson 03 through the published port and passes Check; down -v leaves nothing', async () => {
    await buildImage();
    const [webPort, kafkaPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    const token = randomBytes(12).toString('hex');
    const password = randomBytes(12).toString('hex');
    const origin = `http://127.0.0.1:${webPort}`;
    // The class's roster (`student,token` lines), mounted read-only into the streamlab service.
    const adaToken = randomBytes(12).toString('hex');
    const roster = join(work, 'roster.csv');
    writeFileSync(roster, `# student,token\nada,${adaToken}\ngrace,${randomBytes(12).toString('hex')}\n`);
    chmodSync(roster, 0o644);
    env = {
      ...dockerEnv,
      STREAMLAB_VERSION: VERSION,
      STREAMLAB_TOKEN: token,
      POSTGRES_PASSWORD: password,
      STREAMLAB_HOST_PORT: String(webPort),
      KAFKA_HOST_PORT: String(kafkaPort),
      POSTGRES_HOST_PORT: String(pgPort),
      STREAMLAB_ALLOWED_ORIGINS: origin,
      STREAMLAB_ROSTER: roster,
    };
    // The published ports, on the loopback address only for the test (the class's file publishes to
    // the network, where learners are).
    const override = join(work, 'loopback.yml');
    writeFileSync(override, [
      'services:',
      ...[['kafka', kafkaPort, 9094], ['postgres', pgPort, 5432], ['streamlab', webPort, 5170]].flatMap(([service, host, container]) =>
        [`  ${service}:`, '    ports: !override', `      - "127.0.0.1:${host}:${container}"`]),
      '',
    ].join('\n'));
    files = ['-f', 'compose/docker-compose.yml', '-f', override];

    const started = Date.now();
    await docker(['compose', '-p', project, ...files, 'up', '-d', '--no-build', '--wait', '--wait-timeout', '900'], env);
    console.log(`classroom: compose up --wait took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const states = (await docker(['compose', '-p', project, ...files, 'ps', '-a', '--format', '{{.Service}} {{.State}} {{.Health}} {{.ExitCode}}'], env))
      .trim().split('\n').sort();
    expect(states).toEqual(['kafka running healthy 0', 'kafka-users exited  0', 'postgres running healthy 0', 'streamlab running healthy 0']);
    const logs = await docker(['compose', '-p', project, ...files, 'logs', 'streamlab'], env);
    expect(logs).toContain(`Streamlab ready: http://127.0.0.1:5170/?token=${token}`);

    // A learner on the roster, with their own token, through the published port, from the origin the
    // class's page is served at; a token on no line of the roster (ada's with its last character
    // changed) is refused at the upgrade.
    const wrongToken = adaToken.slice(0, -1) + (adaToken.endsWith('0') ? '1' : '0');
    await expect(TestClient.connect(`ws://127.0.0.1:${webPort}/ws?token=${wrongToken}`, { origin })).rejects.toThrow('HTTP 401');
    const client = await TestClient.connect(`ws://127.0.0.1:${webPort}/ws?token=${adaToken}`, { origin });
    clients.push(client);
    const hello = await client.hello(undefined, [PROTOCOL_VERSION]);
    expect(hello.kind).toBe('hello.ok');
    expect(await client.request({ kind: 'lessons.get', lessonId: LESSON })).toMatchObject({ kind: 'lessons.get.ok' });
    const run = await client.request({ kind: 'run.start', lessonId: LESSON, files: [{ path: 'solution.ts', content: SOLUTION }], mode: 'system' });
    if (run.kind !== 'run.start.ok') throw new Error(JSON.stringify(run));
    const check = await client.request({ kind: 'check.run', lessonId: LESSON, files: [{ path: 'solution.ts', content: SOLUTION }] });
    if (check.kind !== 'check.run.ok') throw new Error(JSON.stringify(check));
    const read = () => {
      const by = new Map<string, number>();
      for (const m of client.eventsOf(run.runId)) {
        if (m.kind !== 'run.batch') continue;
        const b = m as StructuredBatchEvent;
        by.set(b.progress.id, (by.get(b.progress.id) ?? 0) + b.progress.numInputRows);
      }
      return [...by.values()];
    };
    const last = await client.waitFor((m) => (m.kind === 'run.batch' && m.runId === run.runId && read().length === 2 && read().every((n) => n >= LESSON_RECORDS))
      || (m.kind === 'run.status' && m.runId === run.runId && ['failed', 'finished', 'stopped'].includes(m.state)));
    expect(last.kind, JSON.stringify(client.eventsOf(run.runId).filter((m) => m.kind !== 'run.batch').slice(-5))).toBe('run.batch');
    expect(read()).toEqual([LESSON_RECORDS, LESSON_RECORDS]);
    expect(await client.request({ kind: 'run.stop', runId: run.runId })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await client.runEnded(run.runId)).state).toBe('stopped');
    const result = await client.waitFor((m) => m.kind === 'check.result' && m.checkId === check.checkId) as ServerMessageOf<'check.result'>;
    expect(result.tests.filter((t) => t.status !== 'passed')).toEqual([]);
    expect(result.score).toBe(result.maxScore);

    // Lesson 04 on the manual clock: the runtime plays the store's events into the compose Kafka, and the
    // learner's query reads them through the SASL listener with the tutorial's SCRAM user. By 10:00:05
    // five events have arrived; the complete-mode counts by origin add up to them.
    expect(await client.request({ kind: 'lessons.get', lessonId: SASL_LESSON })).toMatchObject({ kind: 'lessons.get.ok' });
    const sasl = await client.request({ kind: 'run.start', lessonId: SASL_LESSON, files: [{ path: 'solution.ts', content: SASL_SOLUTION }], mode: 'manual' });
    if (sasl.kind !== 'run.start.ok') throw new Error(JSON.stringify(sasl));
    const ready = await client.waitFor((m) => m.kind === 'run.status' && m.runId === sasl.runId && ['running', 'idle', 'failed', 'finished', 'stopped'].includes(m.state));
    expect(ready, JSON.stringify(client.eventsOf(sasl.runId).slice(-5))).toMatchObject({ state: expect.stringMatching(/^(running|idle)$/) });
    expect(await client.request({ kind: 'run.step', runId: sasl.runId, advanceMs: 5_000 })).toMatchObject({ kind: 'run.step.ok' });
    const counted = await client.waitFor((m) => (m.kind === 'run.batch' && m.runId === sasl.runId) || m.kind === 'run.error' && m.runId === sasl.runId) as StructuredBatchEvent;
    expect(counted.kind, JSON.stringify(counted)).toBe('run.batch');
    expect(counted.progress.numInputRows).toBe(5);
    expect((counted.rows as { count: number }[]).reduce((n, r) => n + r.count, 0)).toBe(5);
    expect(await client.request({ kind: 'run.stop', runId: sasl.runId })).toMatchObject({ kind: 'run.stop.ok' });
    expect((await client.runEnded(sasl.runId)).state).toBe('stopped');
    // The compose Kafka itself checks the password: a wrong one is refused there, and the learner reads why.
    const wrong = SASL_SOLUTION.replace('const PASSWORD = "c7Vq2mXe9LbR";', 'const PASSWORD = "not-the-password";');
    expect(wrong).not.toBe(SASL_SOLUTION);
    const refused = await client.request({ kind: 'run.start', lessonId: SASL_LESSON, files: [{ path: 'solution.ts', content: wrong }], mode: 'manual' });
    if (refused.kind !== 'run.start.ok') throw new Error(JSON.stringify(refused));
    const error = await client.waitFor((m) => m.kind === 'run.error' && m.runId === refused.runId);
    expect(error).toMatchObject({ message: expect.stringContaining('terminated with exception: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512') });
    await client.request({ kind: 'run.stop', runId: refused.runId }).catch(() => undefined);
    await client.runEnded(refused.runId);

    // The run's topics are on the compose Kafka (its host listener), and its PostgreSQL answers on the
    // published port with the compose file's credentials.
    const admin = new Kafka({ clientId: 'classroom-test', brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      expect(topics.filter((t) => t.endsWith('sensors.temperature')).length).toBeGreaterThan(0);
      expect(topics.filter((t) => t.endsWith('spark-streaming-store')).length).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
    const db = new pg.Client({ connectionString: `postgres://streamlab:${password}@127.0.0.1:${pgPort}/streamlab` });
    await db.connect();
    try {
      expect((await db.query<{ major: string }>("select current_setting('server_version_num')::int / 10000 as major")).rows[0]!.major).toBe(18);
    } finally {
      await db.end();
    }

    await Promise.allSettled(clients.map((c) => c.close()));
    await docker(['compose', '-p', project, ...files, 'down', '-v', '--remove-orphans'], env);
    files = [];
    const label = `label=com.docker.compose.project=${project}`;
    expect((await docker(['ps', '-a', '-q', '--filter', label])).trim()).toBe('');
    expect((await docker(['volume', 'ls', '-q', '--filter', label])).trim()).toBe('');
    expect((await docker(['network', 'ls', '-q', '--filter', label])).trim()).toBe('');
  });
});

describe.skipIf(skipReason !== undefined)('docker compose --profile grading run grade', () => {
  const project = `streamlab-grading-${randomBytes(4).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'streamlab-grading-'));
  afterAll(async () => {
    await docker(['compose', '-p', project, '-f', 'compose/docker-compose.yml', '--profile', 'grading', 'down', '-v', '--remove-orphans'], { ...dockerEnv, STREAMLAB_TOKEN: 'down', POSTGRES_PASSWORD: 'down' }).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('grades a folder of submissions in the image and writes grades.csv, grades.json and grades.xml', async () => {
    await buildImage();
    const submissions = join(work, 'submissions');
    const grades = join(work, 'grades');
    mkdirSync(submissions);
    mkdirSync(grades);
    // The container runs as uid 1000; the class's folder for grades is writable by it (docs/classroom.md).
    chmodSync(grades, 0o777);
    writeFileSync(join(submissions, 'ada.ts'), SOLUTION);
    writeFileSync(join(submissions, 'grace.ts'), STARTER);
    writeFileSync(join(submissions, 'notes.txt'), 'not a submission');
    // The class's compose/.env holds the token and the database password whatever profile runs.
    const env = {
      ...dockerEnv, STREAMLAB_VERSION: VERSION, STREAMLAB_TOKEN: randomBytes(12).toString('hex'), POSTGRES_PASSWORD: randomBytes(12).toString('hex'),
      GRADE_LESSON: '03', SUBMISSIONS_DIR: submissions, GRADES_DIR: grades,
    };
    // Some submissions fail, so the grader (and with it `compose run`) exits 1.
    const run = await docker(['compose', '-p', project, '-f', 'compose/docker-compose.yml', '--profile', 'grading', 'run', '--rm', '--no-deps', 'grade'], env)
      .then(() => ({ code: 0, output: '' }), (e: Error) => ({ code: 1, output: e.message }));
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('lesson 03-structured-windows, 3 submissions, seed ');
    expect(run.output).toContain('wrote /out/grades.json, /out/grades.xml, /out/grades.csv');
    const csv = readFileSync(join(grades, 'grades.csv'), 'utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const rows = new Map(csv.slice(1).map((line) => { const cells = line.split(','); return [cells[0]!, Object.fromEntries(header.map((h, i) => [h, cells[i]]))]; }));
    expect([...rows.keys()].sort()).toEqual(['ada', 'grace', 'notes']);
    expect([rows.get('ada')!.points, rows.get('ada')!.max_points]).toEqual(['20', '20']);
    expect(Number(rows.get('grace')!.points)).toBeLessThan(20);
    expect(rows.get('notes')!.reason).toContain('not a TypeScript file');
    const json = JSON.parse(readFileSync(join(grades, 'grades.json'), 'utf8')) as { student: string; result: { score: number; maxScore: number } }[];
    expect(json.map((g) => [g.student, g.result.score === g.result.maxScore]).sort()).toEqual([['ada', true], ['grace', false], ['notes', false]]);
    expect(readFileSync(join(grades, 'grades.xml'), 'utf8')).toContain('<testsuites');
  });
});
