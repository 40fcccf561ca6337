/**
 * Where a learner's runs keep their checkpoints: one folder per lesson under the runtime's data
 * directory, and inside it each query's `checkpointLocation` as the learner wrote it.
 *
 *   <data dir>/checkpoints/<lesson>/<checkpointLocation, as a relative path>/{metadata,offsets,commits,…}
 *
 * `checkpointLocation` is taken as a path inside the lesson's folder whatever it says: `/tmp/cp/q`
 * and `../../etc` become `tmp/cp/q` and `etc` there, so a pipeline cannot write anywhere else (the job
 * process's permission model allows exactly the lesson's folder as well).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { CheckpointResolver } from '../engine/state/checkpoint-store.js';
import { FileCheckpointStore } from './file-checkpoint-store.js';

/** Folder name of runs that belong to no lesson (a pipeline written from scratch, `streamlab run`). */
export const NO_LESSON = '_scratch';

/** The folder of one lesson's checkpoints (a lesson id is reduced to a safe folder name). */
export function lessonCheckpointDir(root: string, lessonId: string | undefined | null): string {
  if (!lessonId) return join(root, NO_LESSON);
  const safe = lessonId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return join(root, safe);
}

/** The directory a `checkpointLocation` stands for inside `dir`. */
export function checkpointPath(dir: string, location: string): string {
  // Normalised against a root, `..` cannot climb above it; the leading `/` is then dropped.
  const inside = posix.normalize(`/${location.replace(/\\/g, '/')}`).replace(/^\/+/, '');
  if (inside === '') throw new Error(`checkpointLocation "${location}" names no folder.`);
  return join(dir, ...inside.split('/'));
}

/** A resolver that keeps every `checkpointLocation` on disk inside `dir`. */
export function learnerCheckpointResolver(dir: string): CheckpointResolver {
  return (location) => new FileCheckpointStore(checkpointPath(dir, location));
}

/** Deletes a lesson's checkpoints; resolves with the number of query checkpoints that were there. */
export async function resetCheckpoints(dir: string): Promise<number> {
  const count = existsSync(dir) ? countCheckpoints(dir) : 0;
  await rm(dir, { recursive: true, force: true });
  return count;
}

/** Query checkpoints (folders with a `metadata` file) under `dir`. */
function countCheckpoints(dir: string): number {
  let n = existsSync(join(dir, 'metadata')) ? 1 : 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name !== 'offsets' && name !== 'commits' && name !== 'state' && name !== 'sources' && statSync(path).isDirectory()) n += countCheckpoints(path);
  }
  return n;
}

/** A temporary file of `atomicWrite` (file-checkpoint-store.ts): `.<name>.<pid>.<n>.tmp`. */
const INTERRUPTED_WRITE = /^\..+\.(\d+)\.\d+\.tmp$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of checkpoint writes that a killed process left between writing and
 * renaming (hidden, so nothing else would ever remove them). A file of a process still alive is being
 * written and stays. Resolves with the paths removed.
 */
export function removeInterruptedWrites(root: string): string[] {
  const removed: string[] = [];
  if (!existsSync(root)) return removed;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const m = INTERRUPTED_WRITE.exec(entry.name);
        if (m && !processAlive(Number(m[1]))) {
          rmSync(path, { force: true });
          removed.push(path);
        }
      }
    }
  };
  walk(root);
  return removed;
}
