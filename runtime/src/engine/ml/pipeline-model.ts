/**
 * `pyspark.ml.PipelineModel`: fitted stages applied in order. `PipelineModel.load(path)` reads what
 * Spark's `model.save(path)` wrote (through the saved-model store; see `saved-model.ts`), and
 * `transform(df)` works on batch and streaming DataFrames alike.
 */
import { IllegalArgumentException } from '../errors.js';
import type { DataFrame } from '../structured/dataframe.js';
import { DenseVector } from './linalg.js';
import { LogisticRegressionModel } from './logistic-regression-model.js';
import { dataRow, deserializeMatrix, expectClass, savedModel, type SavedModel } from './saved-model.js';
import { StandardScalerModel } from './standard-scaler-model.js';
import { newUid, Transformer } from './transformer.js';
import { VectorAssembler } from './vector-assembler.js';
import { deserializeVector } from './vector-udt.js';

/** A fitted pipeline. */
export class PipelineModel extends Transformer {
  readonly className = 'PipelineModel';
  readonly pyModule = 'pyspark.ml';
  readonly stages: Transformer[];

  constructor(stages: Transformer[], uid = newUid('PipelineModel')) {
    super(uid, {});
    this.stages = [...stages];
  }

  protected paramNames(): readonly string[] {
    return [];
  }

  /** Loads a saved PipelineModel (PySpark `PipelineModel.load(path)`). */
  static load(path: string): PipelineModel {
    const saved = savedModel(path);
    expectClass(saved, 'org.apache.spark.ml.PipelineModel');
    return pipelineFromSaved(saved, path);
  }

  override python(): string {
    if (this.loadedFrom && !this.stages.some((s) => s.changedSinceLoad())) return `PipelineModel.load(${JSON.stringify(this.loadedFrom.path)})`;
    return `PipelineModel(stages=[${this.stages.map((s) => s.python()).join(', ')}])`;
  }

  override pythonImports(): (readonly [string, string])[] {
    const all = [['pyspark.ml', 'PipelineModel'] as const, ...(this.python().startsWith('PipelineModel.load(') ? [] : this.stages.flatMap((s) => s.pythonImports()))];
    const seen = new Set<string>();
    return all.filter(([m, n]) => (seen.has(`${m}.${n}`) ? false : (seen.add(`${m}.${n}`), true)));
  }

  protected expand(dataset: DataFrame): DataFrame {
    return this.stages.reduce((df, stage) => stage.transform(df), dataset);
  }

  override toString(): string {
    return `PipelineModel_${this.uid.replace(/^PipelineModel_/, '')}`;
  }
}

function pipelineFromSaved(saved: SavedModel, path: string): PipelineModel {
  const stageUids = (saved.metadata.paramMap.stageUids ?? []) as string[];
  const stages = (saved.stages ?? []).map((s, i) => {
    if (stageUids[i] !== undefined && s.model.metadata.uid !== stageUids[i]) {
      throw new IllegalArgumentException(`requirement failed: PipelineModel stage ${i} has uid ${s.model.metadata.uid}, expected ${stageUids[i]}.`, { code: 'ILLEGAL_ARGUMENT' });
    }
    return stageFromSaved(s.model, `${path.replace(/\/+$/, '')}/stages/${s.dir}`);
  });
  if (stages.length !== stageUids.length) {
    throw new IllegalArgumentException(`requirement failed: PipelineModel has ${stageUids.length} stages in its metadata but ${stages.length} were found under stages/.`, { code: 'ILLEGAL_ARGUMENT' });
  }
  const model = new PipelineModel(stages, saved.metadata.uid);
  model.loadedFrom = { path };
  return model;
}

/** A stage from its saved form; `path` is where it was loaded from (kept for export). */
export function stageFromSaved(saved: SavedModel, path: string): Transformer {
  const meta = saved.metadata;
  let stage: Transformer;
  switch (meta.class) {
    case 'org.apache.spark.ml.PipelineModel':
      return pipelineFromSaved(saved, path);
    case 'org.apache.spark.ml.feature.VectorAssembler':
      stage = new VectorAssembler({}, meta.uid);
      break;
    case 'org.apache.spark.ml.feature.StandardScalerModel': {
      const row = dataRow(saved);
      stage = new StandardScalerModel(toDense(deserializeVector(row.std)), toDense(deserializeVector(row.mean)), meta.uid);
      break;
    }
    case 'org.apache.spark.ml.classification.LogisticRegressionModel': {
      const row = dataRow(saved);
      stage = new LogisticRegressionModel(deserializeMatrix(row.coefficientMatrix), toDense(deserializeVector(row.interceptVector)), Number(row.numClasses), Boolean(row.isMultinomial), meta.uid);
      break;
    }
    default:
      throw new IllegalArgumentException(`[UNSUPPORTED_FEATURE] Streamlab cannot load ${meta.class}: it loads PipelineModel, VectorAssembler, StandardScalerModel and LogisticRegressionModel.`, { code: 'UNSUPPORTED_FEATURE' });
  }
  stage.restoreParams(meta.paramMap, meta.defaultParamMap ?? {});
  stage.loadedFrom = { path };
  return stage;
}

function toDense(v: ReturnType<typeof deserializeVector>): DenseVector {
  return v instanceof DenseVector ? v : new DenseVector(v.toArray());
}

/** Loads one saved stage of a known class (the stage classes' `load`). */
export function loadStage<T extends Transformer>(path: string, className: string, type: abstract new (...args: never[]) => T): T {
  const saved = savedModel(path);
  expectClass(saved, className);
  const stage = stageFromSaved(saved, path);
  if (!(stage instanceof type)) throw new IllegalArgumentException(`${path} does not hold a ${className}.`, { code: 'ILLEGAL_ARGUMENT' });
  return stage;
}
