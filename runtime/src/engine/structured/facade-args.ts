/**
 * How the generated `functions` facade turns PySpark-style arguments into call expressions: a
 * column argument is a Column or a column name; a value argument is a literal (or a Column where
 * PySpark takes one); arguments left out end the call, as PySpark leaves them to Spark's defaults.
 */
import { call, literal, type Expr } from '../expressions/expr.js';
import { Column, columnExpr, type ColumnOrName } from './column.js';

/** A `column` argument. */
export function colArg(x: ColumnOrName | undefined): Expr | undefined {
  return x === undefined ? undefined : columnExpr(x);
}

/** A column argument that may also be a number literal (`date_add(start, 2)`). */
export function colOrNumberArg(x: ColumnOrName | number | undefined): Expr | undefined {
  return x === undefined ? undefined : typeof x === 'number' ? literal(x) : columnExpr(x);
}

/** A column argument whose strings are literals, not names (`from_utc_timestamp(ts, "Europe/Paris")`). */
export function colOrLiteralArg(x: unknown): Expr | undefined {
  return x === undefined ? undefined : x instanceof Column ? x.expr : literal(x);
}

/** A `value` argument: a literal, or a Column where PySpark accepts one. */
export function valueArg(x: unknown): Expr | undefined {
  return x === undefined ? undefined : x instanceof Column ? x.expr : literal(x);
}

/** A variadic tail of columns (lists are flattened, as PySpark accepts them). */
export function colsArg(xs: readonly (ColumnOrName | readonly ColumnOrName[])[]): Expr[] {
  return (xs.flat() as ColumnOrName[]).map(columnExpr);
}

/** The call, with the arguments up to the first one left out. */
export function callWith(name: string, args: readonly (Expr | Expr[] | undefined)[]): Column {
  const out: Expr[] = [];
  for (const a of args) {
    if (a === undefined) break;
    if (Array.isArray(a)) out.push(...a);
    else out.push(a);
  }
  return new Column(call(name, out));
}
