/**
 * A process killed between a checkpoint file's write and its rename leaves `.<name>.<pid>.<n>.tmp`
 * behind, hidden. Starting the runtime removes those of processes that are gone and keeps those of a
 * process still writing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { FileCheckpointStore } from '../../../runtime/src/checkpoint/file-checkpoint-store.js';
import { startRuntimeServer } from '../../../runtime/src/server/runtime-server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The id of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('unfinished checkpoint writes', () => {
  it('are removed when the runtime starts, unless their process is alive; finished files stay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'streamlab-tmp-files-'));
    dirs.push(dataDir);
    const query = join(dataDir, 'checkpoints', '03-structured-windows', 'tmp', 'checkpoints', 'report');
    const store = new FileCheckpointStore(query);
    await store.writeCommit({ batchId: 0, nextBatchWatermarkMs: 0 });
    const dead = deadPid();
    const leftover = join(query, 'offsets', `.1.${dead}.7.tmp`);
    mkdirSync(join(query, 'offsets'), { recursive: true });
    writeFileSync(leftover, 'v1\n{"batchWatermarkMs":0');
    const writing = join(query, 'commits', `.1.${process.pid}.3.tmp`);
    writeFileSync(writing, 'v1\n');
    const lines: string[] = [];
    const server = await startRuntimeServer({ config: resolveConfig({ port: 0, dataDir, token: 'interrupted-writes-token' }), services: {}, log: (l) => lines.push(l) });
    await server.close();
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(writing)).toBe(true);
    expect(readdirSync(join(query, 'commits')).sort()).toEqual([`.1.${process.pid}.3.tmp`, '0']);
    expect(lines).toEqual(['Removed 1 unfinished checkpoint write left by a stopped run.']);
  });
});
