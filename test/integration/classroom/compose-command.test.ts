/**
 * Runs the exact command of compose's `streamlab` service, with the environment compose gives it,
 * outside a container against the run's real Kafka and PostgreSQL, until `Streamlab ready`; and
 * the same for the classroom overlay's per-student pod.
 *
 * Only what a container network changes is translated: the service names `kafka:9092` and
 * `postgres:5432` become the run's addresses, the `/data` volume a temporary directory, mounted
 * files their repository paths, and the container port a free local one. Every flag and every
 * variable stays as the compose file or the manifest has it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import pg from 'pg';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { freePort } from '../../services/free-port.js';
import { TestClient } from '../server/ws-client.js';
import { commandOf, environmentOf, readCompose, readEnvExample, repoRoot } from '../../unit/classroom/compose-file.js';
import { createTopicReady } from '../../services/create-topic.js';

const env = readEnvExample();
const service = readCompose(env).services.streamlab!;
const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-compose-data-'));
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children.filter((c) => c.exitCode === null && c.signalCode === null)) {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The process environment without STREAMLAB_* variables: a container starts with none but its own. */
function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('STREAMLAB_')));
}

/** Sends SIGTERM and resolves with the exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Creates a fresh one-partition topic on the run's Kafka. */
async function createTopic(prefix: string, brokerPrefix = ''): Promise<string> {
  const admin = new Kafka({ clientId: 'classroom-test', brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).admin();
  const topic = brokerPrefix + freshTopic(prefix);
  await admin.connect();
  try {
    await createTopicReady(admin, topic, 1);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** The topics on the run's Kafka. */
async function brokerTopics(): Promise<string[]> {
  const admin = new Kafka({ clientId: 'classroom-test', brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/** Runs statements on the run's PostgreSQL, as its administrator unless another URL is given. */
async function sqlAs(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const sql = (...statements: string[]) => sqlAs(databaseUrl(), ...statements);

/** Asks the started runtime, through its websocket, what it sees of Kafka and PostgreSQL. */
async function askRuntime(port: number, token: string, origin: string, topic: string, query: string): Promise<{ topic: unknown; query: unknown }> {
  // As the learner's browser does, from the page's origin.
  const client = await TestClient.connect(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin });
  try {
    expect(await client.hello()).toMatchObject({ kind: 'hello.ok' });
    const topics = await client.request({ kind: 'topics.list' });
    const rows = await client.request({ kind: 'db.query', sql: query });
    return {
      topic: topics.kind === 'topics.list.ok' ? topics.topics.find((t) => t.name === topic) : topics,
      query: rows.kind === 'db.query.ok' ? rows.rows : rows,
    };
  } finally {
    await client.close();
  }
}

/** The service's command with the container network's names replaced by this machine's services. */
function localCommand(port: number): string[] {
  const containerPg = `postgres://${env.POSTGRES_USER}:${env.POSTGRES_PASSWORD}@postgres:5432/${env.POSTGRES_DB}`;
  const replacements = new Map([
    ['kafka:9092', kafkaBootstrap()],
    [containerPg, databaseUrl()],
    ['/data', dataDir],
    ['5170', String(port)],
  ]);
  const command = commandOf(service);
  // Each translated value must be in the compose command, or the translation tests something else.
  for (const from of replacements.keys()) expect(command).toContain(from);
  return command.map((arg) => replacements.get(arg) ?? arg);
}

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
function waitForLine(proc: ChildProcess, pattern: RegExp, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        output.push(line);
        if (pattern.test(line)) resolve(line);
      }
    });
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (chunk: string) => output.push(chunk.trimEnd()));
    proc.once('exit', (code, signal) => reject(new Error(`streamlab exited (${code ?? signal}) before it was ready:\n${output.join('\n')}`)));
  });
}

describe('compose streamlab service, run outside a container', () => {
  it('reaches `Streamlab ready` with the token from .env and the roster .env names, answers /healthz, and stops cleanly', async () => {
    const port = await freePort();
    const args = localCommand(port);
    // The instructor's .env names a roster: compose mounts it where the service's STREAMLAB_ROSTER
    // points, so here that variable names the mounted file's own path.
    const rosterFile = join(dataDir, 'roster.csv');
    writeFileSync(rosterFile, '# student,token\nada,ada-compose-token-01\ngrace,grace-compose-token-02\n');
    const rostered = readCompose({ ...env, STREAMLAB_ROSTER: rosterFile }).services.streamlab!;
    const serviceEnv = environmentOf(rostered);
    expect(serviceEnv).toEqual({ STREAMLAB_TOKEN: env.STREAMLAB_TOKEN, STREAMLAB_ALLOWED_ORIGINS: env.STREAMLAB_ALLOWED_ORIGINS, STREAMLAB_ROSTER: '/classroom/roster.csv' });
    expect(rostered.volumes).toContain(`${rosterFile}:${serviceEnv.STREAMLAB_ROSTER}:ro`);
    serviceEnv.STREAMLAB_ROSTER = rosterFile;

    const output: string[] = [];
    const child = spawn(process.execPath, [join(repoRoot, 'runtime/bin/streamlab.js'), ...args], {
      cwd: repoRoot,
      env: { ...cleanEnv(), ...serviceEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const ready = await waitForLine(child, /^Streamlab ready: /, output);
    expect(ready).toMatch(new RegExp(`^Streamlab ready: http://[^/]+:${port}/\\?token=${escape(env.STREAMLAB_TOKEN!)}$`));

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    // The roster is the runtime's: a student's token opens a socket, and the dashboard (its URL on the
    // line after the ready one) has a row per student by name from the start.
    const dashboardLine = output.find((line) => line.startsWith('Instructor dashboard: ')) ?? await waitForLine(child, /^Instructor dashboard: /, output);
    const instructor = new URL(dashboardLine.slice('Instructor dashboard: '.length)).searchParams.get('token')!;
    const ada = await TestClient.connect(`ws://127.0.0.1:${port}/ws?token=ada-compose-token-01`, { origin: `http://localhost:${env.STREAMLAB_HOST_PORT}` });
    expect(await ada.hello()).toMatchObject({ kind: 'hello.ok' });
    await ada.close();
    const rows = await new Promise<{ learner: string; student: string | null }[]>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/instructor/ws?token=${instructor}`, { headers: { origin: `http://127.0.0.1:${port}` } });
      ws.once('message', (data) => {
        resolve((JSON.parse(String(data)) as { students: { learner: string; student: string | null }[] }).students);
        ws.close();
      });
      ws.once('error', reject);
    });
    expect(rows.filter((r) => r.student !== null).map((r) => r.student).sort()).toEqual(['ada', 'grace']);

    // The runtime uses the Kafka and PostgreSQL its command names, not embedded ones, and it keeps
    // learners apart: a learner's topics live under a prefix of their session, and topics made by
    // anyone else are not theirs to see.
    expect(args).toContain('--isolate-learners');
    const outside = await createTopic('classroom-compose');
    const own = freshTopic('classroom-compose-own');
    // The page is http://localhost:5170 on the host (the published port), not the runtime's own
    // origin here: only STREAMLAB_ALLOWED_ORIGINS lets it in.
    const page = `http://localhost:${env.STREAMLAB_HOST_PORT}`;
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/ws?token=${env.STREAMLAB_TOKEN}`, { origin: page });
    try {
      expect(await client.hello()).toMatchObject({ kind: 'hello.ok' });
      expect(await client.request({ kind: 'topics.create', topic: own, partitions: 1 })).toMatchObject({ kind: 'topics.create.ok' });
      const listed = await client.request({ kind: 'topics.list' });
      expect(listed.kind).toBe('topics.list.ok');
      const names = listed.kind === 'topics.list.ok' ? listed.topics.map((t) => t.name) : [];
      expect(names).toContain(own);
      expect(names).not.toContain(outside);
      expect(listed.kind === 'topics.list.ok' ? listed.topics.find((t) => t.name === own) : undefined)
        .toEqual({ name: own, partitions: 1, endOffsets: ['0'] });
      // On the compose Kafka itself the learner's topic carries the session's prefix.
      const onBroker = (await brokerTopics()).filter((t) => t.endsWith(`.${own}`));
      expect(onBroker).toHaveLength(1);
      expect(onBroker[0]).toMatch(new RegExp(`^learner-[0-9a-f]{12}\\.${escape(own)}$`));
      const database = new URL(databaseUrl()).pathname.slice(1);
      expect(await client.request({ kind: 'db.query', sql: 'select current_database()' }))
        .toMatchObject({ kind: 'db.query.ok', rows: [[database]] });
    } finally {
      await client.close();
    }
    await expect(TestClient.connect(`ws://127.0.0.1:${port}/ws?token=${env.STREAMLAB_TOKEN}`, { origin: 'http://elsewhere.example' }))
      .rejects.toThrow('HTTP 403');
    expect(await stop(child)).toBe(0);
  });
});

interface Container { command: string[]; args: string[]; env: { name: string; value?: string }[] }

describe('classroom pod command, run outside a container', () => {
  it('starts the runtime as the roster row of its ordinal, with that student\'s token', async () => {
    const manifest = readFileSync(join(repoRoot, 'k8s/overlays/classroom/streamlab-students.yaml'), 'utf8');
    const statefulSet = parseAllDocuments(manifest).map((d) => d.toJS()).find((o) => o.kind === 'StatefulSet');
    const container = statefulSet.spec.template.spec.containers[0] as Container;
    const names = container.env.map((e) => e.name);
    expect(names).toEqual(['STREAMLAB_KAFKA', 'STREAMLAB_KAFKA_SASL', 'POSTGRES_USER', 'POSTGRES_DB', 'POSTGRES_PASSWORD', 'STREAMLAB_PG', 'STREAMLAB_CLASS_DOMAIN']);
    const kustomization = parseAllDocuments(readFileSync(join(repoRoot, 'k8s/overlays/classroom/kustomization.yaml'), 'utf8'))[0]!.toJS();
    const domainLiteral = (kustomization.configMapGenerator as { name: string; literals?: string[] }[])
      .find((g) => g.name === 'classroom-config')!.literals!.find((l) => l.startsWith('STREAMLAB_CLASS_DOMAIN='))!;
    const domain = domainLiteral.slice('STREAMLAB_CLASS_DOMAIN='.length);

    const rosterDir = mkdtempSync(join(tmpdir(), 'streamlab-roster-'));
    const roster = join(rosterDir, 'roster.csv');
    const grace = freshName('grace');
    writeFileSync(roster, `# student,token\nada,token-for-ada-0001\n${grace},token-for-grace-002\n`);
    // What the pod's create-schema init container does.
    await sql(`create schema "${grace}"`, `create table "${grace}".report (sensor text)`, `insert into "${grace}".report values ('grace-1')`);
    const port = await freePort();
    const mounted = new Map([
      ['/classroom/bin/select-student.sh', join(repoRoot, 'k8s/overlays/classroom/select-student.sh')],
      ['runtime/bin/streamlab.js', join(repoRoot, 'runtime/bin/streamlab.js')],
      ['/data', dataDir],
      ['5170', String(port)],
    ]);
    const argv = [...container.command, ...container.args].map((arg) => mounted.get(arg) ?? arg);
    expect(argv[0]).toBe('/bin/sh');

    const output: string[] = [];
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: repoRoot,
      env: {
        ...cleanEnv(),
        // Pod streamlab-1 of the StatefulSet, and what its env entries resolve to in the cluster.
        HOSTNAME: 'streamlab-1',
        STREAMLAB_ROSTER: roster,
        STREAMLAB_KAFKA: kafkaBootstrap(),
        // The cluster's SASL listener, as the ConfigMap names it: the runtime dials it only for code that authenticates.
        STREAMLAB_KAFKA_SASL: 'kafka:9095',
        STREAMLAB_PG: databaseUrl(),
        STREAMLAB_CLASS_DOMAIN: domain,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    try {
      const ready = await waitForLine(child, /^Streamlab ready: /, output);
      expect(ready).toMatch(new RegExp(`^Streamlab ready: http://[^/]+:${port}/\\?token=token-for-grace-002$`));
      // The runtime's own database sessions start in the student's schema: `report` is grace's. Her
      // topics are the broker's `grace.*` topics, shown without the prefix; another student's are hidden.
      const own = await createTopic('classroom-pod', `${grace}.`);
      const others = await createTopic('classroom-pod', 'ada.');
      // From the student's page, http://<student>.<class domain>/, as the Ingress serves it.
      const page = `http://${grace.replace(/_/g, '-')}.${domain}`;
      const shortName = own.slice(grace.length + 1);
      expect(await askRuntime(port, 'token-for-grace-002', page, shortName, 'select current_schema(), sensor from report'))
        .toEqual({ topic: { name: shortName, partitions: 1, endOffsets: ['0'] }, query: [[grace, 'grace-1']] });
      expect((await askRuntime(port, 'token-for-grace-002', page, others.slice('ada.'.length), 'select 1')).topic).toBe(undefined);
      expect(await stop(child)).toBe(0);
    } finally {
      rmSync(rosterDir, { recursive: true, force: true });
      await sql(`drop schema "${grace}" cascade`);
    }
  });
});
