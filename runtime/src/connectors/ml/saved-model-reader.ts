/**
 * Reads a model folder written by Spark's `model.save(path)` into the engine's decoded form
 * (`engine/ml/saved-model.ts`): the JSON line of `metadata/part-00000` and the rows of
 * `data/part-*.parquet` (snappy-compressed Parquet, read with hyparquet, which has no dependencies
 * and runs in Node and in browsers alike), recursing into `stages/<i>_<uid>` for a PipelineModel.
 *
 * The files come through a small interface, so the same reader serves a Node process (the runtime,
 * reading the lesson's folder) and a browser (fetching the folder over HTTP).
 */
import { parquetReadObjects } from 'hyparquet';
import type { SavedMetadata, SavedModel } from '../../engine/ml/saved-model.js';

/** Where the model's files come from. Paths use `/` and are relative to the model folder's parent. */
export interface ModelFiles {
  /** Names of the entries directly inside `dir` (files and folders). */
  list(dir: string): Promise<string[]>;
  /** A file's bytes. */
  read(file: string): Promise<Uint8Array>;
}

/** A model folder that cannot be read, with the file at fault. */
export class SavedModelError extends Error {
  constructor(message: string, readonly file: string) {
    super(message);
    this.name = 'SavedModelError';
  }
}

const text = new TextDecoder();

async function readMetadata(files: ModelFiles, dir: string): Promise<SavedMetadata> {
  const file = `${dir}/metadata/part-00000`;
  let raw: string;
  try {
    raw = text.decode(await files.read(file));
  } catch (e) {
    throw new SavedModelError(`${dir} is not a saved Spark ML model: ${file} cannot be read (${e instanceof Error ? e.message : String(e)}).`, file);
  }
  let meta: unknown;
  try {
    meta = JSON.parse(raw.split('\n')[0]);
  } catch {
    throw new SavedModelError(`${file} is not the JSON Spark writes for a model's metadata.`, file);
  }
  const m = meta as Partial<SavedMetadata>;
  if (typeof m.class !== 'string' || typeof m.uid !== 'string' || typeof m.paramMap !== 'object' || m.paramMap === null) {
    throw new SavedModelError(`${file} lacks the class, uid or paramMap Spark writes for a model.`, file);
  }
  return { class: m.class, uid: m.uid, sparkVersion: String(m.sparkVersion ?? ''), timestamp: typeof m.timestamp === 'number' ? m.timestamp : undefined, paramMap: m.paramMap, defaultParamMap: m.defaultParamMap ?? {} };
}

/** Plain values: bigints (int64 columns) become numbers. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

async function readData(files: ModelFiles, dir: string): Promise<Record<string, unknown>[] | null> {
  let names: string[];
  try {
    names = await files.list(`${dir}/data`);
  } catch {
    return null;
  }
  const parts = names.filter((n) => n.endsWith('.parquet') && !n.startsWith('.')).sort();
  const rows: Record<string, unknown>[] = [];
  for (const part of parts) {
    const file = `${dir}/data/${part}`;
    const bytes = await files.read(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    try {
      const read = await parquetReadObjects({ file: buffer });
      for (const r of read) rows.push(plain(r) as Record<string, unknown>);
    } catch (e) {
      throw new SavedModelError(`${file} is not a Parquet file Streamlab can read (${e instanceof Error ? e.message : String(e)}).`, file);
    }
  }
  return rows;
}

/** Reads the saved model in folder `dir` (and, for a PipelineModel, its stages). */
export async function readSavedModel(files: ModelFiles, dir: string): Promise<SavedModel> {
  const root = dir.replace(/\/+$/, '');
  const metadata = await readMetadata(files, root);
  const data = await readData(files, root);
  if (metadata.class !== 'org.apache.spark.ml.PipelineModel') return { metadata, data };
  const uids = (metadata.paramMap.stageUids ?? []) as string[];
  const names = await files.list(`${root}/stages`).catch(() => [] as string[]);
  const stages = [];
  for (let i = 0; i < uids.length; i++) {
    const name = `${i}_${uids[i]}`;
    if (!names.includes(name)) throw new SavedModelError(`${root}/stages has no folder ${name} for stage ${i} of the pipeline.`, `${root}/stages/${name}`);
    stages.push({ dir: name, model: await readSavedModel(files, `${root}/stages/${name}`) });
  }
  return { metadata, data, stages };
}
