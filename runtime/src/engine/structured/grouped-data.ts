/** PySpark's GroupedData: the result of `groupBy(...)`, turned back into a DataFrame by an aggregation. */
import { AnalysisException } from '../errors.js';
import { call, colRef, node, type Expr } from '../expressions/expr.js';
import { planNode } from '../plans/plan.js';
import type { Column } from './column.js';
import { DataFrame } from './dataframe.js';

/** Grouped rows awaiting an aggregation. */
export class GroupedData {
  constructor(private readonly df: DataFrame, private readonly keys: readonly Expr[]) {}

  /** `agg(F.avg("t").alias("avg_t"), ...)` or `agg({"t": "avg"})`. */
  agg(...exprs: (Column | Record<string, string>)[]): DataFrame {
    const aggs: Expr[] = [];
    for (const e of exprs) {
      if (e && typeof e === 'object' && 'expr' in e) aggs.push((e as Column).expr);
      else for (const [colName, fn] of Object.entries(e as Record<string, string>)) aggs.push(call(fn, [colName === '*' ? node({ kind: 'star' }) : colRef(colName)]));
    }
    if (aggs.length === 0) throw new AnalysisException('agg() needs at least one aggregate expression.', { code: 'EMPTY_AGGREGATION' });
    return new DataFrame(this.df.sparkSession, planNode({ kind: 'Aggregate', child: this.df.plan, groupBy: this.keys, aggregates: aggs }));
  }

  private simple(fn: string, cols: string[]): DataFrame {
    const names = cols.length > 0 ? cols : this.df.schema.fields.filter((f) => f.dataType.kind === 'atomic' && ['int', 'bigint', 'double', 'float', 'smallint', 'tinyint', 'decimal'].includes(f.dataType.name)).map((f) => f.name);
    return new DataFrame(this.df.sparkSession, planNode({ kind: 'Aggregate', child: this.df.plan, groupBy: this.keys, aggregates: names.map((n) => call(fn, [colRef(n)])) }));
  }

  /** Number of rows per group, in a column named `count`. */
  count(): DataFrame {
    return new DataFrame(this.df.sparkSession, planNode({ kind: 'Aggregate', child: this.df.plan, groupBy: this.keys, aggregates: [node({ kind: 'alias', expr: call('count', [node({ kind: 'star' })]), name: 'count' })] }));
  }
  sum(...cols: string[]): DataFrame { return this.simple('sum', cols); }
  avg(...cols: string[]): DataFrame { return this.simple('avg', cols); }
  mean(...cols: string[]): DataFrame { return this.simple('avg', cols); }
  min(...cols: string[]): DataFrame { return this.simple('min', cols); }
  max(...cols: string[]): DataFrame { return this.simple('max', cols); }
}
