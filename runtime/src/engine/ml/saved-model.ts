/**
 * A model as Spark's `model.save(path)` writes it, decoded: each folder's `metadata/part-00000` JSON
 * and the rows of its `data/*.parquet` (vectors and matrices in their stored struct form). Reading the
 * files is I/O and lives in `connectors/`; the engine gets the decoded form through the store below,
 * which the runtime fills before the learner's code runs (so `PipelineModel.load` stays synchronous,
 * as in PySpark).
 *
 *   <path>/metadata/part-00000                     {"class": ..., "uid": ..., "paramMap": {...}, ...}
 *   <path>/data/part-*.parquet                     one row of model data (stages that have data)
 *   <path>/stages/<i>_<uid>/...                    a PipelineModel's stages, each laid out as above
 */
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import { DenseMatrix, SparseMatrix, type Matrix } from './linalg.js';

/** `metadata/part-00000` of a saved stage. */
export interface SavedMetadata {
  readonly class: string;
  readonly uid: string;
  readonly sparkVersion: string;
  readonly timestamp?: number;
  readonly paramMap: Readonly<Record<string, unknown>>;
  readonly defaultParamMap?: Readonly<Record<string, unknown>>;
}

/** One saved folder: its metadata, its data rows (if it has data) and, for pipelines, its stages. */
export interface SavedModel {
  readonly metadata: SavedMetadata;
  readonly data: readonly Readonly<Record<string, unknown>>[] | null;
  /** A PipelineModel's stages, in order, with their folder names under `stages/`. */
  readonly stages?: readonly { readonly dir: string; readonly model: SavedModel }[];
}

const store = new Map<string, SavedModel>();

function normalise(path: string): string {
  let p = path.trim().replace(/^file:(\/\/)?/, '').replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p.replace(/\/+$/, '') || '.';
}

/** Makes a decoded model available to `load(path)` under the path the learner writes. */
export function provideSavedModel(path: string, model: SavedModel): void {
  store.set(normalise(path), model);
}

/** Forgets every provided model (tests). */
export function clearSavedModels(): void {
  store.clear();
}

/** The decoded model at `path`, or Spark's error when there is none. */
export function savedModel(path: string): SavedModel {
  const m = store.get(normalise(path));
  if (!m) {
    const known = [...store.keys()];
    throw new AnalysisException(`[PATH_NOT_FOUND] Path does not exist: ${path}.${known.length ? ` Saved models here: ${known.map((k) => `"${k}"`).join(', ')}.` : ''}`, { code: 'PATH_NOT_FOUND' });
  }
  return m;
}

/** Checks the saved class, as Spark's `DefaultParamsReader.loadMetadata` does. */
export function expectClass(model: SavedModel, className: string): void {
  if (model.metadata.class !== className) {
    throw new IllegalArgumentException(`requirement failed: Error loading metadata: Expected class name ${className} but found class name ${model.metadata.class}`, { code: 'ILLEGAL_ARGUMENT' });
  }
}

/** The single data row of a saved stage. */
export function dataRow(model: SavedModel): Readonly<Record<string, unknown>> {
  const row = model.data?.[0];
  if (!row) throw new IllegalArgumentException(`The saved ${model.metadata.class} ${model.metadata.uid} has no data rows.`, { code: 'ILLEGAL_ARGUMENT' });
  return row;
}

/** A matrix from its stored struct form (type 1 dense, 0 sparse). */
export function deserializeMatrix(stored: unknown): Matrix {
  const m = stored as Record<string, unknown>;
  const nums = (k: string) => ((m[k] ?? []) as unknown[]).map(Number);
  if (Number(m.type) === 1) return new DenseMatrix(Number(m.numRows), Number(m.numCols), nums('values'), Boolean(m.isTransposed));
  return new SparseMatrix(Number(m.numRows), Number(m.numCols), nums('colPtrs'), nums('rowIndices'), nums('values'), Boolean(m.isTransposed));
}
