/**
 * A checkpoint directory on the file system, laid out like Spark's:
 *
 *   metadata                          {"id":"<query id>"}
 *   offsets/<batchId>                 v1 \n {"batchWatermarkMs":…,"batchTimestampMs":…,"conf":{…}} \n <offset of source 0> \n …
 *   commits/<batchId>                 v1 \n {"nextBatchWatermarkMs":…}
 *   sources/<n>/0                     v1 \n <initial offset of source n>
 *   state/<operatorId>/0/<version>.snapshot   the operator's state after batch version-1 (JSON)
 *
 * Every file is written to a temporary name in the same directory and renamed into place, so a
 * process killed mid-write leaves either the old file or the complete new one.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointStore, CommitLogEntry, OffsetLogEntry, QueryMetadata } from '../engine/checkpoint-store.js';
import { fromJsonText, toJsonText } from '../engine/serde.js';
import type { Offset } from '../engine/sources/source.js';
import type { StateSnapshot } from '../engine/state-store.js';

/** How many state versions to keep per operator (Spark's `minBatchesToRetain` default). */
const RETAIN_VERSIONS = 100;

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

/** A checkpoint kept in a directory. */
export class FileCheckpointStore implements CheckpointStore {
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

  private stateFile(operatorId: number, version: number): string {
    return join(this.dir, 'state', String(operatorId), '0', `${version}.snapshot`);
  }

  async readState(operatorId: number, version: number): Promise<StateSnapshot<unknown> | null> {
    const t = await readText(this.stateFile(operatorId, version));
    return t === null ? null : (fromJsonText(t) as StateSnapshot<unknown>);
  }

  async writeState(operatorId: number, version: number, snapshot: StateSnapshot<unknown>): Promise<void> {
    await atomicWrite(this.stateFile(operatorId, version), toJsonText(snapshot));
    if (version > RETAIN_VERSIONS) await rm(this.stateFile(operatorId, version - RETAIN_VERSIONS), { force: true });
  }
}

/** A `checkpointLocation` resolver for `SparkSession.builder.checkpointResolver(...)`. */
export function fileCheckpointResolver(): (location: string) => FileCheckpointStore {
  return (location) => new FileCheckpointStore(location);
}
