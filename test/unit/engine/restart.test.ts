/**
 * Restart from a file checkpoint gives exactly the rows of an uninterrupted run: once after a clean
 * stop after batch 3, and after the process is killed with SIGKILL in the middle of a batch (after the
 * sink wrote it, before the commit log entry), which replays that batch with the same offsets, or
 * between two batches. The aggregation's state is on disk as a delta per version and a snapshot every
 * 10: a restart past the first snapshot recovers it by replaying the deltas after the snapshot.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runPipeline } from './fixtures/windowed-pipeline.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'streamlab-restart-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function outputs(dir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of (await readdir(dir)).filter((n) => n.endsWith('.json'))) out[f] = JSON.parse(await readFile(join(dir, f), 'utf8'));
  return out;
}

async function uninterrupted(maxOffsetsPerTrigger?: number): Promise<Record<string, unknown>> {
  const d = await tempDir();
  await runPipeline({ checkpointDir: join(d, 'ckpt'), outDir: join(d, 'out'), ...(maxOffsetsPerTrigger ? { maxOffsetsPerTrigger } : {}) });
  return outputs(join(d, 'out'));
}

const CHILD = fileURLToPath(new URL('./fixtures/kill-child.ts', import.meta.url));

/** Runs the pipeline in a child process until it hangs where `options` say, and kills it with SIGKILL. */
async function runAndKill(ckpt: string, out: string, options: Record<string, number>): Promise<void> {
  const first = spawn(process.execPath, ['--import', 'tsx', CHILD, ckpt, out, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    first.stdout.on('data', (b: Buffer) => {
      text += b.toString();
      if (text.includes('HANG')) {
        first.kill('SIGKILL');
        resolve();
      }
    });
    first.on('exit', (code) => reject(new Error(`child exited (${code}) before hanging: ${text}`)));
  });
  await new Promise((r) => first.once('close', r));
  expect(first.signalCode).toBe('SIGKILL');
}

/** Runs the pipeline to its end in a new child process on the same checkpoint. */
async function restart(ckpt: string, out: string, options: Record<string, number> = {}): Promise<void> {
  const second = spawn(process.execPath, ['--import', 'tsx', CHILD, ckpt, out, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  second.stdout.on('data', (b: Buffer) => (text += b.toString()));
  const code = await new Promise((r) => second.once('close', r));
  expect(code).toBe(0);
  expect(text).toContain('DONE');
}

/** The names in a checkpoint folder, numbers in order. */
const names = async (dir: string) => (await readdir(dir)).sort((a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b));

/** The state files of the pipeline's one stateful operator. */
async function stateFiles(ckpt: string): Promise<string[]> {
  const operators = await readdir(join(ckpt, 'state'));
  expect(operators).toHaveLength(1);
  return names(join(ckpt, 'state', operators[0]!, '0'));
}

describe('restart from a file checkpoint', () => {
  it('an uninterrupted run writes 60 readings in batches of 8 offsets', async () => {
    const out = await uninterrupted();
    // ceil(60 / 8) data batches plus the no-data batch the final watermark asks for.
    expect(Object.keys(out).sort((a, b) => parseInt(a) - parseInt(b))).toEqual(['0.json', '1.json', '2.json', '3.json', '4.json', '5.json', '6.json', '7.json', '8.json']);
    // Batch 0 reads offsets 0-3 of both partitions (8 = 4 + 4): readings 0..7, all in windows [0,10) and [10,20).
    const byKey = (rows: unknown) => [...(rows as unknown[][])].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
    expect(byKey(out['0.json'])).toEqual([
      ['1970-01-01T00:00:00.000Z', 's0', 20.5, 2],
      ['1970-01-01T00:00:00.000Z', 's1', 22.5, 2],
      ['1970-01-01T00:00:00.000Z', 's2', 24, 1],
      ['1970-01-01T00:00:10.000Z', 's0', 22, 1],
      ['1970-01-01T00:00:10.000Z', 's1', 24, 1],
      ['1970-01-01T00:00:10.000Z', 's2', 20, 1],
    ]);
    // Reading 10 (s1 at 6 s) arrives in batch 1: late-row filtering uses batch 0's watermark (0), so it still counts.
    expect(byKey(out['1.json'])[0]).toEqual(['1970-01-01T00:00:00.000Z', 's1', 21.667, 3]);
    // The trailing no-data batch only evicts state in update mode.
    expect(out['8.json']).toEqual([]);
  });

  it('stopped after batch 3 and restarted gives the same rows as an uninterrupted run', async () => {
    const expected = await uninterrupted();
    const d = await tempDir();
    await runPipeline({ checkpointDir: join(d, 'ckpt'), outDir: join(d, 'out'), stopAfterBatch: 3 });
    expect(Object.keys(await outputs(join(d, 'out'))).length).toBe(4);
    await runPipeline({ checkpointDir: join(d, 'ckpt'), outDir: join(d, 'out') });
    expect(await outputs(join(d, 'out'))).toEqual(expected);
  });

  it('killed with SIGKILL mid-batch and restarted gives the same rows as an uninterrupted run', async () => {
    const expected = await uninterrupted();
    const d = await tempDir();
    const ckpt = join(d, 'ckpt');
    const out = join(d, 'out');
    await runAndKill(ckpt, out, { hangAtBatch: 4 });
    // Batch 4 reached the sink, but its commit log entry was never written.
    expect(await names(join(ckpt, 'offsets'))).toEqual(['0', '1', '2', '3', '4']);
    expect(await names(join(ckpt, 'commits'))).toEqual(['0', '1', '2', '3']);
    await restart(ckpt, out);
    expect(await outputs(out)).toEqual(expected);
  }, 60_000);

  it('killed with SIGKILL between two batches past a snapshot, recovers the state from the snapshot and the deltas after it', async () => {
    // Three offsets a batch, split over the two partitions as Spark splits them: 31 batches, so the
    // state crosses the snapshots at versions 10, 20 and 30.
    const expected = await uninterrupted(3);
    expect(Object.keys(expected)).toHaveLength(31);
    const d = await tempDir();
    const ckpt = join(d, 'ckpt');
    const out = join(d, 'out');
    await runAndKill(ckpt, out, { hangAfterBatch: 12, maxOffsetsPerTrigger: 3 });
    // Batch 12 committed (state version 13), batch 13 never began.
    expect(await names(join(ckpt, 'offsets'))).toEqual(Array.from({ length: 13 }, (_, i) => String(i)));
    expect(await names(join(ckpt, 'commits'))).toEqual(Array.from({ length: 13 }, (_, i) => String(i)));
    // Version 13 is on disk as the snapshot of version 10 and the deltas of 11, 12 and 13: recovery replays them.
    expect(await stateFiles(ckpt)).toEqual([...Array.from({ length: 13 }, (_, i) => `${i + 1}.delta`), '10.snapshot'].sort((a, b) => parseInt(a) - parseInt(b) || a.localeCompare(b)));
    await restart(ckpt, out, { maxOffsetsPerTrigger: 3 });
    expect(await outputs(out)).toEqual(expected);
    // The run went on writing a delta per batch and a snapshot every 10 versions.
    expect((await stateFiles(ckpt)).filter((f) => f.endsWith('.snapshot'))).toEqual(['10.snapshot', '20.snapshot', '30.snapshot']);
  }, 120_000);

  it('killed with SIGKILL mid-batch past a snapshot, replays the batch on the state recovered from the snapshot and deltas', async () => {
    const expected = await uninterrupted(3);
    const d = await tempDir();
    const ckpt = join(d, 'ckpt');
    const out = join(d, 'out');
    await runAndKill(ckpt, out, { hangAtBatch: 15, maxOffsetsPerTrigger: 3 });
    // Batch 15 reached the sink; its state (version 16) and its commit were never written.
    expect(await names(join(ckpt, 'commits'))).toEqual(Array.from({ length: 15 }, (_, i) => String(i)));
    expect((await stateFiles(ckpt)).at(-1)).toBe('15.delta');
    await restart(ckpt, out, { maxOffsetsPerTrigger: 3 });
    expect(await outputs(out)).toEqual(expected);
  }, 120_000);
});

/** Every file of a checkpoint folder with its contents. */
async function contents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('restart at every point of the snapshot cycle', () => {
  // Three offsets a batch: 31 batches, state versions 1-31, a snapshot at 10, 20 and 30. Batch k writes
  // version k + 1, so k = 0-11 stops before, at and after the first snapshot; the restarted run crosses the next ones.
  let expected: Record<string, unknown>;
  const stops = Array.from({ length: 12 }, (_, k) => k);

  it('an uninterrupted run of 31 batches', async () => {
    expected = await uninterrupted(3);
    expect(Object.keys(expected)).toHaveLength(31);
  });

  it.each(stops)('stopped cleanly after batch %i', async (k) => {
    const d = await tempDir();
    const run = { checkpointDir: join(d, 'ckpt'), outDir: join(d, 'out'), maxOffsetsPerTrigger: 3 };
    await runPipeline({ ...run, stopAfterBatch: k });
    expect(await names(join(run.checkpointDir, 'commits'))).toEqual(Array.from({ length: k + 1 }, (_, i) => String(i)));
    await runPipeline(run);
    expect(await outputs(run.outDir)).toEqual(expected);
  });

  it.each(stops)('failed in batch %i after its sink wrote it, before its state was kept', async (k) => {
    const d = await tempDir();
    const run = { checkpointDir: join(d, 'ckpt'), outDir: join(d, 'out'), maxOffsetsPerTrigger: 3 };
    await expect(runPipeline({ ...run, failAtBatch: k })).rejects.toThrow(`failed after the sink wrote batch ${k}`);
    expect((await stateFiles(run.checkpointDir).catch(() => [])).filter((f) => f === `${k + 1}.delta`)).toEqual([]);
    await runPipeline(run);
    expect(await outputs(run.outDir)).toEqual(expected);
  });

  it.each(stops)('failed in batch %i after its state was kept, before its commit', async (k) => {
    const d = await tempDir();
    const run = { checkpointDir: join(d, 'ckpt'), outDir: join(d, 'out'), maxOffsetsPerTrigger: 3 };
    await expect(runPipeline({ ...run, failCommitOfBatch: k })).rejects.toThrow(`failed before the commit of batch ${k}`);
    expect(await stateFiles(run.checkpointDir)).toContain(`${k + 1}.delta`);
    expect(await names(join(run.checkpointDir, 'commits')).catch(() => [])).toEqual(Array.from({ length: k }, (_, i) => String(i)));
    await runPipeline(run);
    expect(await outputs(run.outDir)).toEqual(expected);
  });
});

describe('a damaged state file', () => {
  /** A checkpoint stopped after batch 14: the snapshot of version 10 and the deltas 1-15. */
  async function stopped(): Promise<{ ckpt: string; out: string; stateDir: string }> {
    const d = await tempDir();
    const ckpt = join(d, 'ckpt');
    const out = join(d, 'out');
    await runPipeline({ checkpointDir: ckpt, outDir: out, maxOffsetsPerTrigger: 3, stopAfterBatch: 14 });
    const [op] = await readdir(join(ckpt, 'state'));
    return { ckpt, out, stateDir: join(ckpt, 'state', op!, '0') };
  }

  it.each([
    ['a delta cut short', '12.delta', (t: string) => t.slice(0, Math.floor(t.length / 2)), 'cannot be read (state version 15 needs it)'],
    ['a delta of another version', '13.delta', (t: string) => t.replace('"version":13', '"version":3'), 'cannot be read (state version 15 needs it): it is not the delta of version 13'],
    ['a missing delta', '11.delta', null, 'is missing; state version 15 needs it'],
    ['a snapshot cut short', '10.snapshot', (t: string) => t.slice(0, 20), 'cannot be read'],
  ] as const)('%s stops the restart with an error naming the file, and loses nothing', async (_name, file, damage, message) => {
    const expected = await uninterrupted(3);
    const { ckpt, out, stateDir } = await stopped();
    const path = join(stateDir, file);
    const original = await readFile(path, 'utf8');
    if (damage) await writeFile(path, damage(original));
    else await rm(path);
    const before = await contents(ckpt);
    const outBefore = await outputs(out);
    await expect(runPipeline({ checkpointDir: ckpt, outDir: out, maxOffsetsPerTrigger: 3 })).rejects.toThrow(`Checkpoint state file ${path} ${message}`);
    // Nothing in the checkpoint changed and no batch ran: put the file back, and the query goes on.
    expect(await contents(ckpt)).toEqual(before);
    expect(await outputs(out)).toEqual(outBefore);
    await writeFile(path, original);
    await runPipeline({ checkpointDir: ckpt, outDir: out, maxOffsetsPerTrigger: 3 });
    expect(await outputs(out)).toEqual(expected);
  });
});
