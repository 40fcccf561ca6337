/**
 * Export of `createDataFrame` rows: PySpark's createDataFrame checks each value against the schema and
 * refuses an int for a DOUBLE or FLOAT column (CANNOT_ACCEPT_OBJECT_IN_TYPE), so whole numbers there
 * are written as Python floats; other columns keep their values as written.
 */
import { describe, expect, it } from 'vitest';
import { SparkSession } from '../../../runtime/src/streamlab.js';
import { planChain } from '../../../runtime/src/export/plan-code.js';
import { StubCollector } from '../../../runtime/src/export/python-text.js';

describe('export of createDataFrame rows', () => {
  it('writes whole numbers of DOUBLE, FLOAT and ARRAY<DOUBLE> columns as floats, and INT/BIGINT ones as ints', () => {
    const spark = SparkSession.builder.output(() => undefined).create();
    const schema = 'id INT, n BIGINT, amount DOUBLE, ratio FLOAT, xs ARRAY<DOUBLE>, name STRING';
    const df = spark.createDataFrame([[1, 7, 30, 2, [1, 2.5, -3], 'a'], [2, 8, 12.5, -0.5, [], '30'], [3, null, null, null, null, null]], schema);
    const chain = planChain(df.plan, { stubs: new StubCollector(), where: 'test' });
    expect(chain).toEqual([
      `spark.createDataFrame([[1, 7, 30.0, 2.0, [1.0, 2.5, -3.0], "a"], [2, 8, 12.5, -0.5, [], "30"], [3, None, None, None, None, None]], "id INT, n BIGINT, amount DOUBLE, ratio FLOAT, xs ARRAY<DOUBLE>, name STRING")`,
    ]);
  });
});
