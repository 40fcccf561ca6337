/**
 * `pyspark.ml.linalg`: dense and sparse vectors and the matrices a saved model holds, with Spark's
 * printing (`[1.0,2.0]`, `(4,[3],[1500.0])`) and the arithmetic its models use, in Spark's order of
 * operations so results agree with Spark's to the last bit where Spark's BLAS sums in order.
 */
import { IllegalArgumentException } from '../errors.js';
import { javaDouble } from '../../format/java-number.js';
import { fma } from './fma.js';

/** A dense vector: every value stored (PySpark `DenseVector`). */
export class DenseVector {
  readonly values: readonly number[];
  constructor(values: Iterable<number>);
  /** @internal `owned`: the array is fresh and handed over (no copy; the models make one per row). */
  constructor(values: number[], owned: true);
  constructor(values: Iterable<number>, owned = false) {
    this.values = Object.freeze(owned ? (values as number[]) : [...values]);
    Object.freeze(this);
  }
  /** Number of elements. */
  get size(): number {
    return this.values.length;
  }
  /** Element `i`. */
  get(i: number): number {
    return this.values[i];
  }
  toArray(): number[] {
    return [...this.values];
  }
  /** Number of values that are not 0.0 (NaN counts). */
  numNonzeros(): number {
    let n = 0;
    for (const v of this.values) if (v !== 0) n++;
    return n;
  }
  /** Index of the first largest value (Spark's `argmax`; -1 when empty). */
  argmax(): number {
    return argmaxOf(this.values);
  }
  /** Dot product with another vector. */
  dot(other: Vector): number {
    return dot(this, other);
  }
  equals(other: unknown): boolean {
    return other instanceof DenseVector || other instanceof SparseVector ? sameValues(this.toArray(), other.toArray()) : false;
  }
  /** Spark's text: `[1.0,2.0]`. */
  toString(): string {
    return `[${this.values.map(javaDouble).join(',')}]`;
  }
}

/** A sparse vector: size, increasing indices and their values (PySpark `SparseVector`). */
export class SparseVector {
  readonly size: number;
  readonly indices: readonly number[];
  readonly values: readonly number[];
  constructor(size: number, indices: Iterable<number>, values: Iterable<number>) {
    const idx = [...indices].map(Number);
    const vals = [...values].map(Number);
    if (idx.length !== vals.length) {
      throw new IllegalArgumentException(`requirement failed: Sparse vectors require that the dimension of the indices match the dimension of the values. You provided ${idx.length} indices and  ${vals.length} values.`, { code: 'ILLEGAL_ARGUMENT' });
    }
    for (let k = 0; k < idx.length; k++) {
      if (idx[k] < 0 || idx[k] >= size || (k > 0 && idx[k] <= idx[k - 1])) {
        throw new IllegalArgumentException(`requirement failed: Index ${idx[k]} out of bounds or not increasing for vector of size ${size}`, { code: 'ILLEGAL_ARGUMENT' });
      }
    }
    this.size = size;
    this.indices = Object.freeze(idx);
    this.values = Object.freeze(vals);
    Object.freeze(this);
  }
  get(i: number): number {
    const k = this.indices.indexOf(i);
    return k < 0 ? 0 : this.values[k];
  }
  toArray(): number[] {
    const out = new Array<number>(this.size).fill(0);
    this.indices.forEach((i, k) => (out[i] = this.values[k]));
    return out;
  }
  numNonzeros(): number {
    let n = 0;
    for (const v of this.values) if (v !== 0) n++;
    return n;
  }
  argmax(): number {
    return argmaxOf(this.toArray());
  }
  dot(other: Vector): number {
    return dot(this, other);
  }
  equals(other: unknown): boolean {
    return other instanceof DenseVector || other instanceof SparseVector ? sameValues(this.toArray(), other.toArray()) : false;
  }
  /** Spark's text: `(4,[0,3],[1.0,2.0])`. */
  toString(): string {
    return `(${this.size},[${this.indices.join(',')}],[${this.values.map(javaDouble).join(',')}])`;
  }
}

/** A vector of either kind. */
export type Vector = DenseVector | SparseVector;

function sameValues(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i] || (Number.isNaN(x) && Number.isNaN(b[i])));
}

function argmaxOf(values: readonly number[]): number {
  if (values.length === 0) return -1;
  let best = 0;
  let max = values[0];
  for (let i = 1; i < values.length; i++) {
    if (values[i] > max) {
      best = i;
      max = values[i];
    }
  }
  return best;
}

/** `pyspark.ml.linalg.Vectors`: factory methods. */
export const Vectors = Object.freeze({
  /** `Vectors.dense(1.0, 2.0)` or `Vectors.dense([1.0, 2.0])`. */
  dense(...values: (number | readonly number[])[]): DenseVector {
    return new DenseVector((values.flat() as unknown[]).map(Number));
  },
  /** `Vectors.sparse(4, [0, 3], [1.0, 2.0])` or `Vectors.sparse(4, {0: 1.0, 3: 2.0})`. */
  sparse(size: number, indices: readonly number[] | Readonly<Record<number, number>>, values?: readonly number[]): SparseVector {
    if (Array.isArray(indices)) return new SparseVector(size, indices as number[], values ?? []);
    const pairs = Object.entries(indices).map(([k, v]) => [Number(k), Number(v)] as const).sort((a, b) => a[0] - b[0]);
    return new SparseVector(size, pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  },
  /** A dense vector of `size` zeros. */
  zeros(size: number): DenseVector {
    return new DenseVector(new Array<number>(size).fill(0));
  },
  /** Squared distance between two vectors. */
  squared_distance(a: Vector, b: Vector): number {
    const x = a.toArray();
    const y = b.toArray();
    let s = 0;
    for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) * (x[i] - y[i]);
    return s;
  },
  /** The p-norm of a vector. */
  norm(v: Vector, p: number): number {
    const x = v instanceof DenseVector ? v.values : v.values;
    if (p === Infinity) return x.reduce((m, a) => Math.max(m, Math.abs(a)), 0);
    if (p === 1) return x.reduce((s, a) => s + Math.abs(a), 0);
    if (p === 2) return Math.sqrt(x.reduce((s, a) => s + a * a, 0));
    return x.reduce((s, a) => s + Math.abs(a) ** p, 0) ** (1 / p);
  },
});

/**
 * Spark's `Vector.compressed`: a sparse vector when it is smaller to store (12·nnz + 20 bytes against
 * 8·size + 8), else a dense one.
 */
export function compressed(size: number, indices: readonly number[], values: readonly number[]): Vector {
  let nnz = 0;
  for (const v of values) if (v !== 0) nnz++;
  if (1.5 * (nnz + 1.0) < size) {
    if (nnz === values.length) return new SparseVector(size, indices, values);
    const ii: number[] = [];
    const vv: number[] = [];
    values.forEach((v, k) => {
      if (v !== 0) {
        ii.push(indices[k]);
        vv.push(v);
      }
    });
    return new SparseVector(size, ii, vv);
  }
  const dense = new Array<number>(size).fill(0);
  indices.forEach((i, k) => (dense[i] = values[k]));
  return new DenseVector(dense, true);
}

function sizeMismatch(a: number, b: number): IllegalArgumentException {
  return new IllegalArgumentException(`requirement failed: BLAS.dot(x: Vector, y:Vector) was given Vectors with non-matching sizes: x.size = ${a}, y.size = ${b}`, { code: 'ILLEGAL_ARGUMENT' });
}

/** `x · y`, summing the active entries in index order as Spark's BLAS does. */
export function dot(x: Vector, y: Vector): number {
  if (x.size !== y.size) throw sizeMismatch(x.size, y.size);
  if (x instanceof DenseVector && y instanceof DenseVector) {
    let s = 0;
    for (let i = 0; i < x.values.length; i++) s += x.values[i] * y.values[i];
    return s;
  }
  if (x instanceof SparseVector && y instanceof DenseVector) return sparseDot(x, y.values);
  if (x instanceof DenseVector && y instanceof SparseVector) return sparseDot(y, x.values);
  const a = x as SparseVector;
  const b = y as SparseVector;
  let s = 0;
  let j = 0;
  for (let k = 0; k < a.indices.length; k++) {
    while (j < b.indices.length && b.indices[j] < a.indices[k]) j++;
    if (j < b.indices.length && b.indices[j] === a.indices[k]) s += a.values[k] * b.values[j];
  }
  return s;
}

function sparseDot(x: SparseVector, y: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < x.indices.length; k++) s += x.values[k] * y[x.indices[k]];
  return s;
}

/** A dense matrix, column-major unless `isTransposed` (then row-major), as Spark stores it. */
export class DenseMatrix {
  constructor(
    readonly numRows: number,
    readonly numCols: number,
    readonly values: readonly number[],
    readonly isTransposed = false,
  ) {
    Object.freeze(this);
  }
  /** Entry (i, j). */
  get(i: number, j: number): number {
    return this.isTransposed ? this.values[i * this.numCols + j] : this.values[i + j * this.numRows];
  }
  toArray(): number[][] {
    return Array.from({ length: this.numRows }, (_, i) => Array.from({ length: this.numCols }, (_, j) => this.get(i, j)));
  }
}

/** A sparse matrix in CSC form, or CSR when `isTransposed`, as Spark stores it. */
export class SparseMatrix {
  constructor(
    readonly numRows: number,
    readonly numCols: number,
    readonly colPtrs: readonly number[],
    readonly rowIndices: readonly number[],
    readonly values: readonly number[],
    readonly isTransposed = false,
  ) {
    Object.freeze(this);
  }
  get(i: number, j: number): number {
    const [outer, inner] = this.isTransposed ? [i, j] : [j, i];
    for (let k = this.colPtrs[outer]; k < this.colPtrs[outer + 1]; k++) if (this.rowIndices[k] === inner) return this.values[k];
    return 0;
  }
  toArray(): number[][] {
    return Array.from({ length: this.numRows }, (_, i) => Array.from({ length: this.numCols }, (_, j) => this.get(i, j)));
  }
}

/** A matrix of either kind. */
export type Matrix = DenseMatrix | SparseMatrix;

/**
 * `y := A·x + y` (Spark's `BLAS.gemv(1.0, A, x, 1.0, y)`), each row of a row-major A summed in
 * index order (fused multiply-adds for a dense x, as Spark's Java BLAS; plain products for a sparse
 * x, as Spark's own loop) and then added to y.
 */
export function gemvAdd(a: Matrix, x: Vector, y: number[]): void {
  if (a.numCols !== x.size) {
    throw new IllegalArgumentException(`requirement failed: The columns of A don't match the number of elements of x. A: ${a.numCols}, x: ${x.size}`, { code: 'ILLEGAL_ARGUMENT' });
  }
  const xs = x instanceof DenseVector ? null : x;
  const xd = x instanceof DenseVector ? x.values : null;
  if (a.isTransposed) {
    // Row-major: one dot product per row, then + y.
    for (let i = 0; i < a.numRows; i++) {
      let s = 0;
      if (a instanceof DenseMatrix) {
        const base = i * a.numCols;
        // Spark's Java BLAS (dgemv "T") accumulates with Math.fma.
        if (xd) for (let j = 0; j < a.numCols; j++) s = fma(a.values[base + j], xd[j], s);
        else for (let k = 0; k < xs!.indices.length; k++) s += xs!.values[k] * a.values[base + xs!.indices[k]];
      } else {
        const xv = x.toArray();
        for (let k = a.colPtrs[i]; k < a.colPtrs[i + 1]; k++) s += a.values[k] * xv[a.rowIndices[k]];
      }
      y[i] = s + y[i];
    }
    return;
  }
  // Column-major: y accumulates column by column, skipping zero entries of x.
  const xv = x.toArray();
  for (let j = 0; j < a.numCols; j++) {
    const xj = xv[j];
    if (xj === 0) continue;
    if (a instanceof DenseMatrix) {
      for (let i = 0; i < a.numRows; i++) y[i] += xj * a.values[i + j * a.numRows];
    } else {
      for (let k = a.colPtrs[j]; k < a.colPtrs[j + 1]; k++) y[a.rowIndices[k]] += a.values[k] * xj;
    }
  }
}
