/**
 * PySpark's `Window` and `WindowSpec`: which rows a window function sees. `partitionBy` splits the
 * rows, `orderBy` orders each partition, `rowsBetween` / `rangeBetween` bound the frame around the
 * current row (`Window.unboundedPreceding`, `Window.currentRow`, `-6`, …). A spec is plain data for
 * the plan (`Column.over(spec)`).
 */
import { IllegalArgumentException } from '../errors.js';
import { node, type Expr, type WindowFrame, type WindowSpecExpr } from '../expressions/expr.js';
import { parseSortList } from '../plans/sql-parser.js';
import { columnExpr, type ColumnOrName } from './column.js';

// PySpark takes any bound at or beyond ±(2^63 - 1) as unbounded; here the safe integers end first.
const UNBOUNDED_PRECEDING = Number.MIN_SAFE_INTEGER;
const UNBOUNDED_FOLLOWING = Number.MAX_SAFE_INTEGER;

function sortExpr(c: ColumnOrName): Expr[] {
  if (typeof c === 'string') return parseSortList(c).map((e) => (e.kind === 'sort' ? e : node({ kind: 'sort', expr: e, desc: false, nullsFirst: true })));
  const e = columnExpr(c);
  return [e.kind === 'sort' ? e : node({ kind: 'sort', expr: e, desc: false, nullsFirst: true })];
}

function frame(type: 'rows' | 'range', start: number, end: number): WindowFrame {
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new IllegalArgumentException(`frame boundaries must be integers, got ${start} and ${end}`, { code: 'INVALID_FRAME_BOUNDARY' });
  const lower = start <= UNBOUNDED_PRECEDING ? null : start;
  const upper = end >= UNBOUNDED_FOLLOWING ? null : end;
  if (type === 'range' && ((lower !== null && lower !== 0) || (upper !== null && upper !== 0))) {
    throw new IllegalArgumentException('rangeBetween with offsets other than Window.unboundedPreceding, Window.currentRow and Window.unboundedFollowing is not supported here; use rowsBetween', { code: 'UNSUPPORTED_RANGE_FRAME' });
  }
  return { type, lower, upper };
}

/** A window specification (PySpark `WindowSpec`): every method returns a new spec. */
export class WindowSpec {
  /** @internal */
  constructor(readonly spec: WindowSpecExpr = { partitionBy: [], orderBy: [], frame: null }) {}

  partitionBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec({ ...this.spec, partitionBy: (cols.flat() as ColumnOrName[]).map(columnExpr) });
  }

  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec({ ...this.spec, orderBy: (cols.flat() as ColumnOrName[]).flatMap(sortExpr) });
  }

  /** A frame counted in rows from the current row (`-6, 0` is this row and the six before it). */
  rowsBetween(start: number, end: number): WindowSpec {
    return new WindowSpec({ ...this.spec, frame: frame('rows', start, end) });
  }

  /** A frame by order value; only the unbounded and current-row bounds are supported. */
  rangeBetween(start: number, end: number): WindowSpec {
    return new WindowSpec({ ...this.spec, frame: frame('range', start, end) });
  }
}

/** PySpark's `Window`: starts a {@link WindowSpec}. */
export const Window = {
  unboundedPreceding: UNBOUNDED_PRECEDING,
  unboundedFollowing: UNBOUNDED_FOLLOWING,
  currentRow: 0,
  partitionBy: (...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec => new WindowSpec().partitionBy(...cols),
  orderBy: (...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec => new WindowSpec().orderBy(...cols),
  rowsBetween: (start: number, end: number): WindowSpec => new WindowSpec().rowsBetween(start, end),
  rangeBetween: (start: number, end: number): WindowSpec => new WindowSpec().rangeBetween(start, end),
} as const;
