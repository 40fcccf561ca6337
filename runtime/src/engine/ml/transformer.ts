/**
 * The base of every `pyspark.ml` transformer here: PySpark's params (set values over defaults, with
 * `getX`/`setX` in the subclasses), `transform(df)` that records itself in the plan as a
 * `ModelTransform` node, and the Python expression that builds the same transformer for export.
 */
import { planNode, type ModelRef } from '../plans/plan.js';
import { DataFrame } from '../structured/dataframe.js';
import { IllegalArgumentException } from '../errors.js';

let uidCounter = 0;

/** PySpark's `Identifiable.randomUID`: `Prefix_` and twelve hex digits (here from a counter). */
export function newUid(prefix: string): string {
  uidCounter++;
  return `${prefix}_${uidCounter.toString(16).padStart(12, '0')}`;
}

/** A Python literal for a param value. */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? `${v}.0` : String(v)) : `float("${v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan'}")`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  return JSON.stringify(String(v));
}

/** Where a transformer came from, for export. */
export interface Provenance {
  /** The folder it was loaded from, as the learner named it (`model/stages/1_StandardScaler_…`). */
  readonly path: string;
}

/** A transformer with Spark ML params. */
export abstract class Transformer {
  /** PySpark class name (`VectorAssembler`). */
  abstract readonly className: string;
  /** The `pyspark.ml` module that defines it (`pyspark.ml.feature`). */
  abstract readonly pyModule: string;
  /** The stage's unique id. */
  readonly uid: string;
  /** Set when the stage was loaded from a saved model. */
  loadedFrom: Provenance | undefined;
  private readonly values = new Map<string, unknown>();
  private readonly defaultValues = new Map<string, unknown>();
  /** Params set after loading (export re-applies them with setters). */
  private readonly changed = new Map<string, unknown>();

  protected constructor(uid: string, defaults: Record<string, unknown>) {
    this.uid = uid;
    for (const [k, v] of Object.entries(defaults)) this.defaultValues.set(k, v);
    // PySpark code passes `model.transform` around as a function (`df.transform(model.transform)`).
    this.transform = this.transform.bind(this);
  }

  /** Names of the params this class has. */
  protected abstract paramNames(): readonly string[];

  /** Whether a param was set explicitly (PySpark `isSet`). */
  isSet(name: string): boolean {
    return this.values.has(name);
  }

  /** Whether a param has a value, set or default (PySpark `isDefined`). */
  isDefined(name: string): boolean {
    return this.values.has(name) || this.defaultValues.has(name);
  }

  /** A param's value, or its default (PySpark `getOrDefault`). */
  getOrDefault<T = unknown>(name: string): T {
    if (this.values.has(name)) return this.values.get(name) as T;
    if (this.defaultValues.has(name)) return this.defaultValues.get(name) as T;
    throw new IllegalArgumentException(`Param ${name} is not set and has no default value for ${this.uid}.`, { code: 'ILLEGAL_ARGUMENT' });
  }

  /** Sets a param (PySpark `set`); returns the stage. */
  protected setParam(name: string, value: unknown): this {
    if (!this.paramNames().includes(name)) {
      throw new IllegalArgumentException(`Param ${name} does not exist in ${this.className}.`, { code: 'ILLEGAL_ARGUMENT' });
    }
    this.values.set(name, value);
    if (this.loadedFrom) this.changed.set(name, value);
    this.onParamChange(name);
    return this;
  }

  /** Called after a param changes (LogisticRegressionModel keeps derived thresholds). */
  protected onParamChange(_name: string): void {}

  /** Restores params saved with the model (`paramMap` set, `defaultParamMap` defaults). */
  restoreParams(paramMap: Record<string, unknown>, defaultParamMap: Record<string, unknown>): void {
    const known = new Set(this.paramNames());
    for (const [k, v] of Object.entries(defaultParamMap)) if (known.has(k)) this.defaultValues.set(k, v);
    for (const [k, v] of Object.entries(paramMap)) {
      if (!known.has(k)) continue;
      this.values.set(k, v);
      this.onParamChange(k);
    }
  }

  /** Every param with its value (PySpark `extractParamMap`, keyed by name). */
  extractParamMap(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.paramNames()) if (this.isDefined(name)) out[name] = this.getOrDefault(name);
    return out;
  }

  /** Whether a param was changed since the stage was loaded. */
  changedSinceLoad(): boolean {
    return this.changed.size > 0;
  }

  /** A Python expression that builds the same transformer. */
  python(): string {
    if (this.loadedFrom) {
      const setters = [...this.changed].map(([k, v]) => `.set${k[0].toUpperCase()}${k.slice(1)}(${pyLiteral(v)})`).join('');
      return `${this.className}.load(${JSON.stringify(this.loadedFrom.path)})${setters}`;
    }
    const args = [...this.values].map(([k, v]) => `${k}=${pyLiteral(v)}`).join(', ');
    return `${this.className}(${args})`;
  }

  /** The imports `python()` needs. */
  pythonImports(): (readonly [string, string])[] {
    return [[this.pyModule, this.className]];
  }

  /** Applies the transformer: a new DataFrame with the transformer's output columns. */
  transform(dataset: DataFrame): DataFrame {
    const expanded = this.expand(dataset);
    const model: ModelRef = Object.freeze({ className: this.className, python: this.python(), imports: Object.freeze(this.pythonImports()) });
    return new DataFrame(dataset.sparkSession, planNode({ kind: 'ModelTransform', child: dataset.plan, model, expanded: expanded.plan }));
  }

  /** What the transformer computes, as DataFrame operations on `dataset`. */
  protected abstract expand(dataset: DataFrame): DataFrame;

  toString(): string {
    return this.uid;
  }
}
