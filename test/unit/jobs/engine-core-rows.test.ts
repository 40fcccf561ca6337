/**
 * A batch report carries at most the run's `maxRows` output rows, converted to JSON objects, and counts
 * them all in `totalRows`: the rows past the cap are never converted (a batch of thousands of rows
 * shown a hundred at a time paid for converting every one of them before the job process cut them).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock, MemoryStream } from 'streamlab';
import { bindEngineCore, type BatchReport } from '../../../runtime/src/jobs/child/engine-core.js';
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';

async function reportsOf(maxRows: number | undefined, values: number[]): Promise<BatchReport[]> {
  const reports: BatchReport[] = [];
  const binding = bindEngineCore({
    clock: new ManualClock(1000),
    formats: FormatRegistry.withBuiltIns(),
    ...(maxRows === undefined ? {} : { maxRows }),
    observer: { onQueryStarted: () => {}, onBatch: (r) => reports.push(r), onQueryError: (e) => { throw e; }, onOutput: () => {} },
  });
  const input = new MemoryStream('value INT, text STRING', binding.session);
  const q = input.toDF().writeStream.format('noop').outputMode('append').start();
  input.addData(...values.map((value) => ({ value, text: `row ${value}` })));
  await q.processAllAvailable();
  await binding.stopAll();
  return reports;
}

describe('batch reports of a run', () => {
  it('convert the first maxRows rows and count them all', async () => {
    const reports = await reportsOf(2, [5, 6, 7, 8, 9]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ api: 'structured', batchId: 0, totalRows: 5, rows: [{ value: 5, text: 'row 5' }, { value: 6, text: 'row 6' }] });
    expect((reports[0] as { rows: unknown[] }).rows).toHaveLength(2);
  });

  it('carry no rows with maxRows 0, and every row without a cap', async () => {
    const none = await reportsOf(0, [1, 2, 3]);
    expect(none[0]).toMatchObject({ totalRows: 3, rows: [] });
    const all = await reportsOf(undefined, [1, 2, 3]);
    expect(all[0]).toMatchObject({ totalRows: 3, rows: [{ value: 1, text: 'row 1' }, { value: 2, text: 'row 2' }, { value: 3, text: 'row 3' }] });
  });
});
