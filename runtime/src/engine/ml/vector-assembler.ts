/**
 * `pyspark.ml.feature.VectorAssembler`: numeric, boolean and vector columns into one vector.
 *
 * As Spark 3.5: numbers are cast to double; zeros are left out and the result is `compressed` (sparse
 * when that is smaller, so `(4,[3],[1500.0])` for a row of zeros but one). `handleInvalid` decides
 * what a null or NaN input does: `error` (default) fails the query with Spark's message, `skip` drops
 * the row (as `na.drop` over the input columns), `keep` puts NaN in its place.
 */
import { colRef, node, type Expr } from '../expressions/expr.js';
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import { Column } from '../structured/column.js';
import type { DataFrame } from '../structured/dataframe.js';
import { BOOLEAN, DOUBLE, isNumeric, type DataType } from '../types.js';
import { compressed, DenseVector, SparseVector, type Vector } from './linalg.js';
import { failedUdf } from './ml-errors.js';
import { loadStage } from './pipeline-model.js';
import { newUid, Transformer } from './transformer.js';
import { VECTOR, isVectorType } from './vector-udt.js';

/** Constructor params (PySpark keyword arguments). */
export interface VectorAssemblerParams {
  inputCols?: string[];
  outputCol?: string;
  handleInvalid?: 'error' | 'skip' | 'keep';
}

const HANDLE_INVALID = ['error', 'skip', 'keep'];

/** Assembles columns into a feature vector. */
export class VectorAssembler extends Transformer {
  readonly className = 'VectorAssembler';
  readonly pyModule = 'pyspark.ml.feature';

  constructor(params: VectorAssemblerParams = {}, uid = newUid('VectorAssembler')) {
    super(uid, { handleInvalid: 'error', outputCol: `${uid}__output` });
    if (params.inputCols !== undefined) this.setInputCols(params.inputCols);
    if (params.outputCol !== undefined) this.setOutputCol(params.outputCol);
    if (params.handleInvalid !== undefined) this.setHandleInvalid(params.handleInvalid);
  }

  /** Loads a saved VectorAssembler (PySpark `VectorAssembler.load(path)`). */
  static load(path: string): VectorAssembler {
    return loadStage(path, 'org.apache.spark.ml.feature.VectorAssembler', VectorAssembler);
  }

  protected paramNames(): readonly string[] {
    return ['inputCols', 'outputCol', 'handleInvalid'];
  }

  setInputCols(value: string[]): this { return this.setParam('inputCols', [...value]); }
  getInputCols(): string[] { return this.getOrDefault('inputCols'); }
  setOutputCol(value: string): this { return this.setParam('outputCol', value); }
  getOutputCol(): string { return this.getOrDefault('outputCol'); }
  setHandleInvalid(value: 'error' | 'skip' | 'keep'): this {
    if (!HANDLE_INVALID.includes(value)) {
      throw new IllegalArgumentException(`VectorAssembler_${this.uid} parameter handleInvalid given invalid value ${String(value)}.`, { code: 'ILLEGAL_ARGUMENT' });
    }
    return this.setParam('handleInvalid', value);
  }
  getHandleInvalid(): 'error' | 'skip' | 'keep' { return this.getOrDefault('handleInvalid'); }

  protected expand(dataset: DataFrame): DataFrame {
    const inputs = this.getInputCols();
    const output = this.getOutputCol();
    const mode = this.getHandleInvalid();
    const schema = dataset.schema;
    if (schema.fields.some((f) => f.name === output)) {
      throw new IllegalArgumentException(`requirement failed: Output column ${output} already exists.`, { code: 'ILLEGAL_ARGUMENT' });
    }
    const types: DataType[] = inputs.map((c) => {
      const f = schema.fields.find((x) => x.name === c) ?? schema.fields.find((x) => x.name.toLowerCase() === c.toLowerCase());
      if (!f) {
        throw new AnalysisException(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${c}\` cannot be resolved. Did you mean one of the following? [${schema.fields.map((x) => `\`${x.name}\``).join(', ')}].`, { code: 'UNRESOLVED_COLUMN' });
      }
      const t = f.dataType;
      if (!(isNumeric(t) || (t.kind === 'atomic' && t.name === 'boolean') || isVectorType(t))) {
        throw new IllegalArgumentException(`Data type ${t.simpleString()} of column ${c} is not supported.`, { code: 'ILLEGAL_ARGUMENT' });
      }
      return t;
    });
    const isVector = types.map((t) => isVectorType(t));
    if (mode === 'keep' && isVector.some(Boolean)) {
      const cols = inputs.filter((_, i) => isVector[i]);
      throw new IllegalArgumentException(`Can not infer column lengths with handleInvalid = "keep". Consider using VectorSizeHint to add metadata for columns: [${cols.join(', ')}].`, { code: 'ILLEGAL_ARGUMENT' });
    }
    const args: Expr[] = inputs.map((c, i) => (isVector[i] ? colRef(`\`${c}\``) : node({ kind: 'cast', expr: colRef(`\`${c}\``), to: DOUBLE })));
    let df = dataset;
    if (mode === 'skip') {
      // Spark: dataset.na.drop(inputCols) — a null, or a NaN in a numeric column, drops the row.
      const tests = inputs.map((c, i): Expr => {
        const notNull: Expr = node({ kind: 'isnull', expr: colRef(`\`${c}\``), negated: true });
        if (isVector[i] || (types[i].kind === 'atomic' && types[i] === BOOLEAN)) return notNull;
        const notNaN: Expr = node({ kind: 'udf', name: 'isnotnan', fn: (x: unknown) => !Number.isNaN(x), returnType: BOOLEAN, args: [args[i]] });
        return node({ kind: 'binary', op: 'and', left: notNull, right: notNaN });
      });
      const cond = tests.reduce((a, b) => node({ kind: 'binary', op: 'and', left: a, right: b }));
      df = df.filter(new Column(cond));
    }
    const keep = mode === 'keep';
    const signature = `(struct<${inputs.map((c, i) => `${c}:${isVector[i] ? VECTOR.sqlType.simpleString() : 'double'}`).join(',')}>) => ${VECTOR.sqlType.simpleString()}`;
    const assemble = (...values: unknown[]): Vector => assembleRow(values, isVector, keep, signature);
    return df.withColumn(output, new Column(node({ kind: 'udf', name: 'VectorAssembler', fn: assemble, returnType: VECTOR, args })));
  }
}

/** One row's vector, as Spark's `VectorAssembler.assemble`. */
function assembleRow(values: readonly unknown[], isVector: readonly boolean[], keep: boolean, signature: string): Vector {
  const indices: number[] = [];
  const out: number[] = [];
  let at = 0;
  for (let c = 0; c < values.length; c++) {
    const v = values[c];
    if (isVector[c]) {
      if (v === null || v === undefined) throw failedUdf('`VectorAssembler$$Lambda`', signature, invalid('null', 'nulls'));
      const vec = v as Vector;
      if (vec instanceof DenseVector) {
        vec.values.forEach((x, i) => {
          if (x !== 0) {
            indices.push(at + i);
            out.push(x);
          }
        });
      } else {
        (vec as SparseVector).indices.forEach((i, k) => {
          const x = (vec as SparseVector).values[k];
          if (x !== 0) {
            indices.push(at + i);
            out.push(x);
          }
        });
      }
      at += vec.size;
      continue;
    }
    if (v === null || v === undefined) {
      if (!keep) throw failedUdf('`VectorAssembler$$Lambda`', signature, invalid('null', 'nulls'));
      indices.push(at);
      out.push(NaN);
    } else {
      const x = v as number;
      if (Number.isNaN(x) && !keep) throw failedUdf('`VectorAssembler$$Lambda`', signature, invalid('NaN', 'NaNs'));
      if (x !== 0) {
        indices.push(at);
        out.push(x);
      }
    }
    at++;
  }
  return compressed(at, indices, out);
}

function invalid(what: string, plural: string): string {
  return `Encountered ${what} while assembling a row with handleInvalid = "error". Consider\nremoving ${plural} from dataset or using handleInvalid = "keep" or "skip".`;
}
