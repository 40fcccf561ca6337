/**
 * Exactly-once into PostgreSQL across crashes: the upsert pipeline (fixtures/upsert-job.ts) runs as
 * a child process and is killed with SIGKILL at random moments ten times while readings keep
 * arriving; each time it restarts from its checkpoint. The final table must equal the table of an
 * uninterrupted run over the same input, and the aggregates computed here independently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import { FileCheckpointStore } from '../../../runtime/src/checkpoint/index.js';
import { seededRandom } from '../../services/seeded-random.js';
import { createTopicReady } from '../../services/create-topic.js';

const JOB = fileURLToPath(new URL('./fixtures/upsert-job.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Job {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
  /** Resolves once the job has reported `n` finished batches, or has exited, or `nothingLeft()` says no input is left for it. */
  batches: (n: number, nothingLeft: () => Promise<boolean>) => Promise<void>;
}

function startJob(args: string[]): Job {
  const child = spawn(process.execPath, ['--import', 'tsx', JOB, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('READY')) markReady();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const batches = async (n: number, nothingLeft: () => Promise<boolean>) => {
    while ((out.match(/^BATCH /gm)?.length ?? 0) < n && child.exitCode === null && !(await nothingLeft())) {
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, ready, exited, output: () => out, batches };
}

describe('PostgreSQL upsert sink under SIGKILL', () => {
  let client: pg.Client;
  const dirs: string[] = [];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('ends with the table of an uninterrupted run after 10 kills and restarts', async () => {
    const bootstrap = kafkaBootstrap();
    const topic = freshTopic('crash-readings');
    const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicReady(admin, topic, 3);

    const t0 = Date.UTC(2024, 0, 1);
    const readings = Array.from({ length: 6000 }, (_, i) => ({ node_name: `node-${i % 5}`, temperature: (i * 7) % 40, ts: new Date(t0 + i * 250).toISOString() }));
    const writer = new KafkaWriter({ brokers: [bootstrap] }, { topic });
    // Input keeps arriving while the job is killed and restarted: 20 chunks, 300 ms apart. Once all is
    // written, the topic's end offsets (in the checkpoint's form) are where the query ends.
    let topicEnd: Record<string, Record<string, number>> | null = null;
    const producing = (async () => {
      for (let c = 0; c < 20; c++) {
        await writer.write(readings.slice(c * 300, (c + 1) * 300).map((r, k) => ({ key: r.node_name, value: JSON.stringify(r), partition: (c * 300 + k) % 3 })));
        await new Promise((r) => setTimeout(r, 300));
      }
      await writer.close();
      topicEnd = { [topic]: Object.fromEntries((await admin.fetchTopicOffsets(topic)).map((p) => [String(p.partition), Number(p.high)])) };
      await admin.disconnect();
    })();

    const crashTable = freshName('crash');
    const crashCkpt = mkdtempSync(join(tmpdir(), 'streamlab-crash-'));
    dirs.push(crashCkpt);
    const args = (table: string, ckpt: string, mode: string) => [bootstrap, topic, databaseUrl(), table, ckpt, mode];
    // No input is left for a job once every reading is written and the checkpoint has committed its newest
    // batch, which ends at the topic's end: a restarted job then runs no batch at all.
    const checkpoint = new FileCheckpointStore(crashCkpt);
    const nothingLeft = async () => {
      if (topicEnd === null) return false;
      const newest = await checkpoint.latestOffsetBatchId();
      if (newest === null || (await checkpoint.readCommit(newest)) === null) return false;
      return isDeepStrictEqual((await checkpoint.readOffsets(newest))?.offsets, [topicEnd]);
    };
    const random = seededRandom(20261121);
    for (let kill = 0; kill < 10; kill++) {
      const job = startJob(args(crashTable, crashCkpt, 'loop'));
      await Promise.race([job.ready, job.exited]);
      expect(job.child.exitCode, job.output()).toBeNull();
      // Kill point: after 1–3 finished batches (so every run makes progress, however loaded the
      // machine), or at once when no input is left, plus 0–300 ms so the kill often lands inside the
      // next batch or its commit.
      await job.batches(1 + Math.floor(random() * 3), nothingLeft);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 300)));
      job.child.kill('SIGKILL');
      expect(await job.exited).toBeNull();
    }
    await producing;
    // Commits are keyed on the query id, which the checkpoint's metadata file keeps across restarts.
    const queryId = (JSON.parse(readFileSync(join(crashCkpt, 'metadata'), 'utf8')) as { id: string }).id;
    // The killed runs made progress (the kills did not all land before the first batch).
    const before = await client.query({ text: 'SELECT count(*)::int AS c FROM streamlab_commits WHERE query_id = $1', values: [queryId] });
    expect(before.rows[0].c).toBeGreaterThan(0);
    const last = startJob(args(crashTable, crashCkpt, 'drain'));
    expect(await last.exited, last.output()).toBe(0);

    const refTable = freshName('reference');
    const refCkpt = mkdtempSync(join(tmpdir(), 'streamlab-ref-'));
    dirs.push(refCkpt);
    const ref = startJob(args(refTable, refCkpt, 'drain'));
    expect(await ref.exited, ref.output()).toBe(0);

    const table = async (name: string) =>
      (await client.query({ text: `SELECT to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI'), node_name, total, n, hottest FROM ${name} ORDER BY 1, 2`, rowMode: 'array' })).rows;
    const crashed = await table(crashTable);
    const reference = await table(refTable);

    const expected = new Map<string, [string, string, number, number, number]>();
    for (const r of readings) {
      const minute = new Date(Math.floor(Date.parse(r.ts) / 60_000) * 60_000).toISOString().slice(11, 16);
      const k = `${minute}|${r.node_name}`;
      const e = expected.get(k) ?? [minute, r.node_name, 0, 0, -1];
      e[2] += r.temperature;
      e[3] += 1;
      e[4] = Math.max(e[4], r.temperature);
      expected.set(k, e);
    }
    const independent = [...expected.values()]
      .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
      .map(([m, node, total, n, hottest]) => [m, node, String(total), String(n), hottest]);
    expect(reference).toEqual(independent);
    expect(crashed).toEqual(reference);

    // Every batch id of the crashed query was committed exactly once, with no gaps.
    const commits = (await client.query({ text: 'SELECT batch_id FROM streamlab_commits WHERE query_id = $1 ORDER BY batch_id', values: [queryId], rowMode: 'array' })).rows.map((r) => Number(r[0]));
    expect(commits).toEqual(commits.map((_, i) => i));
    expect(commits.length).toBeGreaterThanOrEqual(40);
    // Twelve processes start one after another, each seconds on a loaded machine.
  }, 600_000);
});
