/**
 * Window expressions become PySpark's own spelling (`F.lag("x", 1, None).over(Window.partitionBy("g")
 * .orderBy("d").rowsBetween(-6, Window.currentRow))`, with `Window` imported) and Spark SQL text that
 * parses back to the same window.
 */
import { describe, expect, it } from 'vitest';
import { functions as F, Window } from 'streamlab';
import { columnCode, sqlText } from '../../../runtime/src/export/column-code.js';
import { StubCollector } from '../../../runtime/src/export/python-text.js';

describe('window expressions in the export', () => {
  it('render as Column.over(Window…) and import Window', () => {
    const stubs = new StubCollector();
    const ctx = { stubs, where: 'test' };
    const w = Window.partitionBy('country').orderBy('date');
    expect(columnCode(F.avg('cases').over(w.rowsBetween(-6, Window.currentRow)).expr, ctx))
      .toBe('F.avg("cases").over(Window.partitionBy("country").orderBy("date").rowsBetween(-6, Window.currentRow))');
    expect(columnCode(F.lag('close', 1).over(Window.orderBy(F.col('date').desc())).expr, ctx))
      .toBe('F.lag("close", 1, None).over(Window.orderBy(F.col("date").desc()))');
    expect(columnCode(F.sum('x').over(Window.partitionBy('g').rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)).expr, ctx))
      .toBe('F.sum("x").over(Window.partitionBy("g").rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing))');
    expect(stubs.importLines()).toEqual(['from pyspark.sql import Window']);
  });

  it('render as SQL with the frame written', () => {
    expect(sqlText(F.corr('a', 'b').over(Window.partitionBy('g').orderBy('d').rowsBetween(-29, 0)).expr))
      .toBe('corr(a, b) OVER (PARTITION BY g ORDER BY d ASC NULLS FIRST ROWS BETWEEN 29 PRECEDING AND CURRENT ROW)');
  });
});
