/**
 * Layer B with librdkafka: `kcat -L/-P/-C/-G` against the embedded broker and real Apache Kafka.
 * kcat is a system package (`apt-get install -y kcat`); when it is missing these tests fail with
 * that instruction rather than skip, so CI cannot pass without running them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshName, freshTopic } from '../../services/inject.js';
import { storedBatches } from './stored-batches.js';
import { stopEmbedded, TARGETS, type Target } from './targets.js';

afterAll(stopEmbedded);

const kcatMissing = spawnSync('kcat', ['-V']).error !== undefined;

/** Runs kcat to completion; rejects with its stderr on a non-zero exit. */
function kcat(args: string[], input?: string): Promise<string> {
  if (kcatMissing) throw new Error('kcat is not installed: run `apt-get install -y kcat` (CI installs it in .ci/run)');
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${err}`))));
    child.stdin.end(input ?? '');
  });
}

describe.each(TARGETS)('kcat scenarios: $name', (target: Target) => {
  let bootstrap: string;
  let admin: ReturnType<Kafka['admin']>;

  beforeAll(async () => {
    bootstrap = await target.bootstrap();
    admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(() => admin?.disconnect());

  async function topicWith(partitions: number): Promise<string> {
    const topic = freshTopic('kcat');
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    return topic;
  }

  it('-L lists the broker and the topic with its partitions', async () => {
    const topic = await topicWith(3);
    const meta = JSON.parse(await kcat(['-b', bootstrap, '-L', '-J', '-t', topic]));
    expect(meta.brokers.map((b: any) => [b.id, b.name])).toEqual([[1, bootstrap]]);
    expect(meta.topics.map((t: any) => [t.topic, t.partitions.map((p: any) => [p.partition, p.leader]).sort()])).toEqual([
      [topic, [[0, 1], [1, 1], [2, 1]]],
    ]);
  });

  it.each([
    ['gzip', 1],
    ['snappy', 2],
    ['lz4', 3],
    ['zstd', 4],
  ])('-P -z %s stores compressed batches that -C reads back', async (codec, bits) => {
    const topic = await topicWith(1);
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i} ${'payload '.repeat(4)}`);
    await kcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec], lines.join('\n') + '\n');
    const batches = await storedBatches(bootstrap, topic);
    expect(batches.every((b) => b.codec === bits)).toBe(true);
    expect(batches.reduce((n, b) => n + b.recordsCount, 0)).toBe(20);
    const out = await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o %s\n']);
    expect(out).toBe(lines.map((l, i) => `${i} ${l}\n`).join(''));
  });

  it('-C -o k and -o -n start inside batches at the right offset', async () => {
    const topic = await topicWith(1);
    await kcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0'], 'a\nb\nc\nd\ne\n');
    expect(await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', '3', '-e', '-q', '-f', '%o:%s\n'])).toBe('3:d\n4:e\n');
    expect(await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', '-2', '-e', '-q', '-f', '%o:%s\n'])).toBe('3:d\n4:e\n');
  });

  it('-G consumes in a group, commits on exit and resumes after the commit', async () => {
    const topic = await topicWith(3);
    const group = freshName('kcatg');
    await kcat(['-b', bootstrap, '-P', '-t', topic, '-K', ':'], Array.from({ length: 9 }, (_, i) => `k${i}:v${i}`).join('\n') + '\n');
    // In -G mode `-o` would pin the start offset on every assignment; the reset policy is what
    // applies only when nothing is committed.
    const groupArgs = ['-b', bootstrap, '-G', group, topic, '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\n'];
    const first = await kcat(groupArgs);
    expect(first.trimEnd().split('\n').sort()).toEqual(Array.from({ length: 9 }, (_, i) => `v${i}`));
    const committed = (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions;
    expect(committed.reduce((n, p) => n + Number(p.offset), 0)).toBe(9);
    await kcat(['-b', bootstrap, '-P', '-t', topic, '-K', ':'], 'k1:w1\nk2:w2\n');
    const second = await kcat(groupArgs);
    expect(second.trimEnd().split('\n').sort()).toEqual(['w1', 'w2']);
  });

  it('two -G members share three partitions; a SIGKILLed member\'s partitions move to the survivor', async () => {
    if (kcatMissing) throw new Error('kcat is not installed: run `apt-get install -y kcat` (CI installs it in .ci/run)');
    const topic = await topicWith(3);
    const group = freshName('kcat2');
    const members = [0, 1].map(() => {
      const child: ChildProcess = spawn('kcat', ['-b', bootstrap, '-u', '-G', group, topic, '-X', 'auto.offset.reset=earliest', '-X', 'session.timeout.ms=6000', '-f', '%p:%s\n'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const m = { child, out: '', assigned: [] as number[] };
      let errTail = '';
      child.stdout!.on('data', (d) => (m.out += d));
      child.stderr!.on('data', (d: Buffer) => {
        // "% Group g rebalanced (memberid …): assigned: t [0], t [2]" — keep the latest assignment.
        const lines = (errTail + d.toString()).split('\n');
        errTail = lines.pop()!;
        for (const line of lines) {
          if (process.env.BROKER_TEST_DEBUG) process.stderr.write(`[kcat ${child.pid}] ${line}\n`);
          if (line.includes('rebalanced') && line.includes('assigned:')) {
            m.assigned = [...line.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])).sort();
          } else if (line.includes('rebalanced') && line.includes('revoked')) m.assigned = [];
        }
      });
      return m;
    });
    try {
      const until = async (check: () => boolean) => {
        while (!check()) await new Promise((r) => setTimeout(r, 100));
      };
      await until(() => members.every((m) => m.assigned.length > 0) && [...members[0].assigned, ...members[1].assigned].sort().join() === '0,1,2');
      await kcat(['-b', bootstrap, '-P', '-t', topic, '-K', ':'], Array.from({ length: 9 }, (_, i) => `k${i}:v${i}`).join('\n') + '\n');
      // Only whole lines: a record's line can arrive in two chunks, and its first half ("1:") is no record.
      const lines = (m: (typeof members)[number]) => m.out.slice(0, m.out.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
      const consumed = () => members.flatMap(lines);
      await until(() => consumed().length >= 9);
      expect(consumed().map((l) => l.split(':')[1]).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `v${i}`));
      for (const m of members) expect(lines(m).every((l) => m.assigned.includes(Number(l.split(':')[0])))).toBe(true);
      members[0].child.kill('SIGKILL');
      // The survivor gets everything once the dead member's session (6 s) expires.
      await until(() => members[1].assigned.join() === '0,1,2');
      expect(members[1].assigned).toEqual([0, 1, 2]);
    } finally {
      for (const m of members) m.child.kill('SIGKILL');
    }
  });
});
