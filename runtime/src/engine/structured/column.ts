/**
 * PySpark's `Column`. TypeScript has no operator overloading, so `a + b` is `a.plus(b)` (Scala's
 * names); comparisons are `eq/ne/gt/ge/lt/le` (also `equalTo`, `geq`...), booleans `and/or/not`.
 */
import { AnalysisException } from '../errors.js';
import { exprSql } from '../expressions/expr-names.js';
import { call, colRef, literal, node, type BinaryOp, type Expr, type WindowSpecExpr } from '../expressions/expr.js';
import { parseDataType, type DataType } from '../types.js';

/** Anything a function accepts as a column: a Column or a column name. */
export type ColumnOrName = Column | string;

/** A literal value or a Column. */
export type ColumnOrValue = Column | string | number | boolean | null | Date | Uint8Array;

/** A column expression. */
export class Column {
  /** The unresolved expression (plain data). */
  readonly expr: Expr;

  constructor(expr: Expr) {
    this.expr = expr;
  }

  private bin(op: BinaryOp, other: ColumnOrValue): Column {
    return new Column(node({ kind: 'binary', op, left: this.expr, right: valueExpr(other) }));
  }

  plus(o: ColumnOrValue): Column { return this.bin('+', o); }
  minus(o: ColumnOrValue): Column { return this.bin('-', o); }
  multiply(o: ColumnOrValue): Column { return this.bin('*', o); }
  divide(o: ColumnOrValue): Column { return this.bin('/', o); }
  mod(o: ColumnOrValue): Column { return this.bin('%', o); }
  eq(o: ColumnOrValue): Column { return this.bin('=', o); }
  equalTo(o: ColumnOrValue): Column { return this.bin('=', o); }
  ne(o: ColumnOrValue): Column { return this.bin('!=', o); }
  notEqual(o: ColumnOrValue): Column { return this.bin('!=', o); }
  eqNullSafe(o: ColumnOrValue): Column { return this.bin('<=>', o); }
  gt(o: ColumnOrValue): Column { return this.bin('>', o); }
  ge(o: ColumnOrValue): Column { return this.bin('>=', o); }
  geq(o: ColumnOrValue): Column { return this.bin('>=', o); }
  lt(o: ColumnOrValue): Column { return this.bin('<', o); }
  le(o: ColumnOrValue): Column { return this.bin('<=', o); }
  leq(o: ColumnOrValue): Column { return this.bin('<=', o); }
  and(o: ColumnOrValue): Column { return this.bin('and', o); }
  or(o: ColumnOrValue): Column { return this.bin('or', o); }
  not(): Column { return new Column(node({ kind: 'not', expr: this.expr })); }
  negate(): Column { return new Column(node({ kind: 'neg', expr: this.expr })); }

  /** PySpark `alias` / `name`: names the column; several names name the columns of a generator (`json_tuple`). */
  alias(name: string, ...more: string[]): Column {
    const expr = this.expr.kind === 'alias' ? this.expr.expr : this.expr;
    return new Column(node(more.length === 0 ? { kind: 'alias', expr, name } : { kind: 'alias', expr, name, names: [name, ...more] }));
  }
  name(name: string): Column { return this.alias(name); }
  as(name: string): Column { return this.alias(name); }

  /** PySpark `cast` / `astype`, with a DataType or a type string (`"int"`, `"timestamp"`). */
  cast(to: DataType | string): Column {
    return new Column(node({ kind: 'cast', expr: this.expr, to: typeof to === 'string' ? parseDataType(to) : to }));
  }
  astype(to: DataType | string): Column { return this.cast(to); }

  isNull(): Column { return new Column(node({ kind: 'isnull', expr: this.expr, negated: false })); }
  isNotNull(): Column { return new Column(node({ kind: 'isnull', expr: this.expr, negated: true })); }

  /** A struct field (`col("window").getField("start")`). */
  getField(name: string): Column {
    return new Column(node({ kind: 'field', expr: this.expr, name }));
  }
  /** An array element (0-based) or map value. */
  getItem(key: ColumnOrValue): Column {
    return new Column(node({ kind: 'index', expr: this.expr, index: valueExpr(key) }));
  }

  isin(...values: (ColumnOrValue | ColumnOrValue[])[]): Column {
    const flat = values.flat() as ColumnOrValue[];
    return new Column(node({ kind: 'in', expr: this.expr, list: flat.map(valueExpr), negated: false }));
  }
  between(low: ColumnOrValue, high: ColumnOrValue): Column {
    return new Column(node({ kind: 'between', expr: this.expr, low: valueExpr(low), high: valueExpr(high), negated: false }));
  }
  like(pattern: string): Column {
    return new Column(node({ kind: 'like', expr: this.expr, pattern: literal(pattern), negated: false }));
  }
  rlike(pattern: string): Column { return new Column(call('rlike', [this.expr, literal(pattern)])); }
  contains(s: string): Column { return this.like(`%${escapeLike(s)}%`); }
  startswith(s: string): Column { return this.like(`${escapeLike(s)}%`); }
  endswith(s: string): Column { return this.like(`%${escapeLike(s)}`); }
  substr(start: number, length: number): Column { return new Column(call('substring', [this.expr, literal(start), literal(length)])); }

  asc(): Column { return new Column(node({ kind: 'sort', expr: this.expr, desc: false, nullsFirst: true })); }
  desc(): Column { return new Column(node({ kind: 'sort', expr: this.expr, desc: true, nullsFirst: false })); }
  asc_nulls_last(): Column { return new Column(node({ kind: 'sort', expr: this.expr, desc: false, nullsFirst: false })); }
  desc_nulls_first(): Column { return new Column(node({ kind: 'sort', expr: this.expr, desc: true, nullsFirst: true })); }

  /** Evaluates a window function or an aggregate over a window (`F.lag("x").over(w)`). */
  over(window: { readonly spec: WindowSpecExpr }): Column {
    return new Column(node({ kind: 'over', fn: this.expr, spec: window.spec }));
  }

  /** Continues a `when(...)` chain. */
  when(condition: Column, value: ColumnOrValue): Column {
    if (this.expr.kind !== 'case' || this.expr.otherwise) throw new AnalysisException('when() can only be applied on a Column previously generated by when() function', { code: 'INVALID_WHEN' });
    return new Column(node({ kind: 'case', branches: [...this.expr.branches, [condition.expr, valueExpr(value)]], otherwise: undefined }));
  }
  /** Ends a `when(...)` chain. */
  otherwise(value: ColumnOrValue): Column {
    if (this.expr.kind !== 'case' || this.expr.otherwise) throw new AnalysisException('otherwise() can only be applied on a Column previously generated by when()', { code: 'INVALID_WHEN' });
    return new Column(node({ ...this.expr, otherwise: valueExpr(value) }));
  }

  toString(): string {
    return `Column<'${exprSql(this.expr)}'>`;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A column name or Column as an expression (strings are column names, as in PySpark functions). */
export function columnExpr(c: ColumnOrName): Expr {
  if (typeof c !== 'string') return c.expr;
  if (c === '*') return node({ kind: 'star' });
  // `"data.*"` expands a struct column's fields, as in PySpark.
  if (c.endsWith('.*')) return node({ kind: 'star', qualifier: c.slice(0, -2) });
  return colRef(c);
}

/** A Column or a literal value as an expression (strings are literals, as in `col > "a"`). */
export function valueExpr(v: ColumnOrValue): Expr {
  if (v instanceof Column) return v.expr;
  return literal(v);
}
