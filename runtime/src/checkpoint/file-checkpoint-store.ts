/**
 * A checkpoint directory on the file system, laid out like Spark's:
 *
 *   metadata                          {"id":"<query id>"}
 *   offsets/<batchId>                 v1 \n {"batchWatermarkMs":…,"batchTimestampMs":…,"conf":{…}} \n <offset of source 0> \n …
 *   commits/<batchId>                 v1 \n {"nextBatchWatermarkMs":…}
 *   sources/<n>/0                     v1 \n <initial offset of source n>
 *   sources/<n>/<batch>               v1 \n <one line per file>, for a file source instead (its own log)
 *   state/<operatorId>/0/<version>.delta      what batch version-1 changed in the operator's state (JSON)
 *   state/<operatorId>/0/<version>.snapshot   the operator's whole state after batch version-1 (JSON),
 *                                             every SNAPSHOT_EVERY versions (Spark's minDeltasForSnapshot)
 *
 * A version's state is the newest snapshot at or before it with the deltas after it applied; versions
 * older than the last RETAIN_STATE_VERSIONS are removed once a newer snapshot covers them.
 *
 * Every file is written to a temporary name in the same directory and renamed into place, so a
 * process killed mid-write leaves either the old file or the complete new one.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RETAIN_STATE_VERSIONS, type CheckpointStore, type CommitLogEntry, type OffsetLogEntry, type QueryMetadata } from '../engine/state/checkpoint-store.js';
import { fromJsonText, toJsonText } from '../engine/serde.js';
import type { Offset } from '../engine/sources/source.js';
import { applyDeltas, type StateDelta, type StateSnapshot, type StateVersion } from '../engine/state/state-store.js';

/** A snapshot every this many versions (Spark's `spark.sql.streaming.stateStore.minDeltasForSnapshot`). */
const SNAPSHOT_EVERY = 10;

/** A delta as its file holds it. */
interface DeltaFile {
  version: number;
  puts: [string, unknown][];
  deletes: string[];
}

let tmpCounter = 0;

async function atomicWrite(file: string, text: string): Promise<void> {
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${file.split(/[\\/]/).pop()}.${process.pid}.${tmpCounter++}.tmp`);
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function body(text: string, file: string): string[] {
  const lines = text.split('\n');
  if (lines[0] !== 'v1') throw new Error(`Checkpoint file ${file} has unsupported version ${JSON.stringify(lines[0])}; expected v1`);
  return lines.slice(1);
}

/** The entries of a state snapshot file, or an error naming the file. */
function readSnapshotFile(file: string, text: string | null): Map<string, unknown> {
  if (text === null) throw new Error(`Checkpoint state file ${file} is missing`);
  let snap: StateSnapshot<unknown>;
  try {
    snap = fromJsonText(text) as StateSnapshot<unknown>;
  } catch (e) {
    throw new Error(`Checkpoint state file ${file} cannot be read: ${(e as Error).message}`);
  }
  const entries = (snap as { entries?: unknown } | null)?.entries;
  if (!(entries instanceof Map) && !Array.isArray(entries)) throw new Error(`Checkpoint state file ${file} cannot be read: it holds no entries`);
  return new Map(entries as Iterable<readonly [string, unknown]>);
}

/** A state delta file, or an error naming the file (the version it is needed for included). */
function readDeltaFile(file: string, text: string | null, v: number, version: number): StateDelta<unknown> {
  const needed = `state version ${version} needs it`;
  if (text === null) throw new Error(`Checkpoint state file ${file} is missing; ${needed}`);
  let d: DeltaFile;
  try {
    d = fromJsonText(text) as DeltaFile;
  } catch (e) {
    throw new Error(`Checkpoint state file ${file} cannot be read (${needed}): ${(e as Error).message}`);
  }
  if (d === null || typeof d !== 'object' || d.version !== v || !Array.isArray(d.puts) || !Array.isArray(d.deletes)) {
    throw new Error(`Checkpoint state file ${file} cannot be read (${needed}): it is not the delta of version ${v}`);
  }
  return { version: v, puts: new Map(d.puts), deletes: d.deletes };
}

/** A checkpoint kept in a directory. */
export class FileCheckpointStore implements CheckpointStore {
  /** The last state version this store wrote per operator: the next one continues it without a look at the files. */
  private readonly lastWritten = new Map<number, number>();

  constructor(readonly dir: string) {}

  async readMetadata(): Promise<QueryMetadata | null> {
    const t = await readText(join(this.dir, 'metadata'));
    return t === null ? null : (JSON.parse(t) as QueryMetadata);
  }

  async writeMetadata(m: QueryMetadata): Promise<void> {
    await atomicWrite(join(this.dir, 'metadata'), `${JSON.stringify(m)}\n`);
  }

  async latestOffsetBatchId(): Promise<number | null> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'offsets'));
    } catch {
      return null;
    }
    const ids = names.filter((n) => /^\d+$/.test(n)).map(Number);
    return ids.length === 0 ? null : Math.max(...ids);
  }

  async readOffsets(batchId: number): Promise<OffsetLogEntry | null> {
    const file = join(this.dir, 'offsets', String(batchId));
    const t = await readText(file);
    if (t === null) return null;
    const [meta, ...offsets] = body(t, file).filter((l) => l !== '');
    const m = JSON.parse(meta) as { batchWatermarkMs: number; batchTimestampMs: number; conf: Record<string, string> };
    return { batchId, batchWatermarkMs: m.batchWatermarkMs, batchTimestampMs: m.batchTimestampMs, conf: m.conf, offsets: offsets.map((o) => JSON.parse(o) as Offset) };
  }

  async writeOffsets(e: OffsetLogEntry): Promise<void> {
    const meta = JSON.stringify({ batchWatermarkMs: e.batchWatermarkMs, batchTimestampMs: e.batchTimestampMs, conf: e.conf });
    await atomicWrite(join(this.dir, 'offsets', String(e.batchId)), `v1\n${meta}\n${e.offsets.map((o) => JSON.stringify(o)).join('\n')}\n`);
  }

  async readCommit(batchId: number): Promise<CommitLogEntry | null> {
    const file = join(this.dir, 'commits', String(batchId));
    const t = await readText(file);
    if (t === null) return null;
    const m = JSON.parse(body(t, file)[0]) as { nextBatchWatermarkMs: number };
    return { batchId, nextBatchWatermarkMs: m.nextBatchWatermarkMs };
  }

  async writeCommit(e: CommitLogEntry): Promise<void> {
    await atomicWrite(join(this.dir, 'commits', String(e.batchId)), `v1\n${JSON.stringify({ nextBatchWatermarkMs: e.nextBatchWatermarkMs })}\n`);
  }

  async readSourceMetadata(sourceIndex: number): Promise<Offset | null> {
    const file = join(this.dir, 'sources', String(sourceIndex), '0');
    const t = await readText(file);
    return t === null ? null : (JSON.parse(body(t, file)[0]) as Offset);
  }

  async writeSourceMetadata(sourceIndex: number, value: Offset): Promise<void> {
    await atomicWrite(join(this.dir, 'sources', String(sourceIndex), '0'), `v1\n${JSON.stringify(value)}\n`);
  }

  async latestSourceLog(sourceIndex: number): Promise<number | null> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'sources', String(sourceIndex)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const ids = names.filter((n) => /^\d+$/.test(n)).map(Number);
    return ids.length === 0 ? null : Math.max(...ids);
  }

  async readSourceLog(sourceIndex: number, batchId: number): Promise<string[] | null> {
    const file = join(this.dir, 'sources', String(sourceIndex), String(batchId));
    const t = await readText(file);
    return t === null ? null : body(t, file).filter((l) => l !== '');
  }

  async writeSourceLog(sourceIndex: number, batchId: number, lines: readonly string[]): Promise<void> {
    await atomicWrite(join(this.dir, 'sources', String(sourceIndex), String(batchId)), ['v1', ...lines].join('\n'));
  }

  private stateDir(operatorId: number): string {
    return join(this.dir, 'state', String(operatorId), '0');
  }

  /** The versions with a file of `kind` in the operator's state folder. */
  private async stateVersions(operatorId: number, kind: 'delta' | 'snapshot'): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.stateDir(operatorId));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const suffix = `.${kind}`;
    return names.filter((n) => n.endsWith(suffix) && /^\d+$/.test(n.slice(0, -suffix.length))).map((n) => Number(n.slice(0, -suffix.length))).sort((a, b) => a - b);
  }

  /**
   * A version's state: the newest snapshot at or before it, with the deltas after it applied. Null when
   * the folder keeps no such version (never written, or older than the retained ones). A file the chain
   * needs that is missing or cannot be read is an error naming it: the query must not go on from a state
   * that silently lost groups, and nothing is removed or rewritten.
   */
  async readState(operatorId: number, version: number): Promise<StateSnapshot<unknown> | null> {
    const dir = this.stateDir(operatorId);
    const snapshots = (await this.stateVersions(operatorId, 'snapshot')).filter((v) => v <= version);
    const deltas = await this.stateVersions(operatorId, 'delta');
    const from = snapshots.at(-1) ?? 0;
    if (from === version) return from === 0 ? null : { version, entries: readSnapshotFile(join(dir, `${from}.snapshot`), await readText(join(dir, `${from}.snapshot`))) };
    // Not kept: nothing written up to this version, or its chain starts before the oldest file kept.
    const newest = Math.max(deltas.at(-1) ?? 0, snapshots.at(-1) ?? 0);
    if (version > newest || (from === 0 && deltas[0] !== 1)) return null;
    const entries = from === 0 ? new Map<string, unknown>() : readSnapshotFile(join(dir, `${from}.snapshot`), await readText(join(dir, `${from}.snapshot`)));
    for (let v = from + 1; v <= version; v++) {
      const file = join(dir, `${v}.delta`);
      applyDeltas(entries, [readDeltaFile(file, await readText(file), v, version)]);
    }
    return { version, entries };
  }

  async writeState(operatorId: number, version: number, state: StateVersion<unknown>): Promise<void> {
    const dir = this.stateDir(operatorId);
    const next = this.lastWritten.get(operatorId) === version - 1;
    this.lastWritten.delete(operatorId);
    // The engine awaits this before its next batch, so the state does not change while it is written.
    const snapshot = version % SNAPSHOT_EVERY === 0 || !(next || (await this.continues(operatorId, version))) ? state.snapshot() : null;
    const { delta } = state;
    // A batch run again after a restart: its files and any later ones are replaced.
    if (!next) {
      for (const kind of ['delta', 'snapshot'] as const) {
        for (const v of await this.stateVersions(operatorId, kind)) if (v > version) await rm(join(dir, `${v}.${kind}`), { force: true });
      }
    }
    await atomicWrite(join(dir, `${version}.delta`), toJsonText({ version, puts: [...delta.puts], deletes: [...delta.deletes] } satisfies DeltaFile));
    if (snapshot) {
      await atomicWrite(join(dir, `${version}.snapshot`), toJsonText(snapshot));
      await this.forgetOldState(operatorId, version);
    } else if (!next) {
      await rm(join(dir, `${version}.snapshot`), { force: true });
    }
    this.lastWritten.set(operatorId, version);
  }

  /** Whether the version before `version` is readable from the files (a delta chain can continue it). */
  private async continues(operatorId: number, version: number): Promise<boolean> {
    if (version === 1) return true;
    const dir = this.stateDir(operatorId);
    const previous = version - 1;
    if ((await readText(join(dir, `${previous}.snapshot`))) !== null) return true;
    if ((await readText(join(dir, `${previous}.delta`))) === null) return false;
    // The chain back to a snapshot (or to version 1) must be whole.
    const snapshots = (await this.stateVersions(operatorId, 'snapshot')).filter((v) => v < previous);
    const base = snapshots.at(-1) ?? 0;
    const deltas = new Set(await this.stateVersions(operatorId, 'delta'));
    for (let v = base + 1; v <= previous; v++) if (!deltas.has(v)) return false;
    return true;
  }

  /** Removes the files no retained version needs: everything before the newest snapshot at or below the oldest retained version. */
  private async forgetOldState(operatorId: number, latest: number): Promise<void> {
    const oldestRetained = latest - RETAIN_STATE_VERSIONS + 1;
    if (oldestRetained <= 1) return;
    const keepFrom = (await this.stateVersions(operatorId, 'snapshot')).filter((v) => v <= oldestRetained).at(-1);
    if (keepFrom === undefined) return;
    const dir = this.stateDir(operatorId);
    for (const kind of ['delta', 'snapshot'] as const) {
      for (const v of await this.stateVersions(operatorId, kind)) if (v < keepFrom) await rm(join(dir, `${v}.${kind}`), { force: true });
    }
  }
}

/** A `checkpointLocation` resolver for `SparkSession.builder.checkpointResolver(...)`. */
export function fileCheckpointResolver(): (location: string) => FileCheckpointStore {
  return (location) => new FileCheckpointStore(location);
}
