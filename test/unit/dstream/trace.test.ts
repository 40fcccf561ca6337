import { describe, expect, it } from 'vitest';
import type { DStreamBatchTrace } from '../../../runtime/src/engine/dstream/index.js';
import { harness } from './harness.js';

describe('batch explain traces', () => {
  it('report records per input, the windows each batch belongs to, and the state size', async () => {
    const h = harness();
    h.ssc.checkpoint('ckpt');
    const traces: DStreamBatchTrace[] = [];
    h.ssc.addStreamingListener({ onBatchCompleted: (t) => traces.push(t) });
    const input = h.ssc.queueStream([['a', 'b'], ['a'], []]);
    input.window(2, 2).pprint();
    input.map((w) => [w, 1] as [string, number]).updateStateByKey((vs: number[], s: number | null) => vs.length + (s ?? 0)).pprint();
    await h.runBatches(3);
    expect(traces).toEqual([
      {
        api: 'dstream',
        batchTimeMs: 1000,
        batchTime: '1970-01-01 00:00:01',
        intervalStartMs: 0,
        // Words have no key: each record is listed with its pprint text.
        inputs: [{ streamId: 0, name: 'queueStream', records: 2, hasRdd: true, sample: [{ key: null, preview: 'a' }, { key: null, preview: 'b' }] }],
        windows: [{ streamId: 1, op: 'window', windowMs: 2000, slideMs: 2000, containing: [{ startMs: 0, endMs: 2000 }], emitted: null }],
        state: [{ streamId: 3, op: 'updateStateByKey', keys: 2 }],
        stateSize: 2,
        outputs: 1,
      },
      {
        api: 'dstream',
        batchTimeMs: 2000,
        batchTime: '1970-01-01 00:00:02',
        intervalStartMs: 1000,
        inputs: [{ streamId: 0, name: 'queueStream', records: 1, hasRdd: true, sample: [{ key: null, preview: 'a' }] }],
        windows: [{
          streamId: 1, op: 'window', windowMs: 2000, slideMs: 2000,
          containing: [{ startMs: 0, endMs: 2000 }],
          emitted: { startMs: 0, endMs: 2000, batchTimesMs: [1000, 2000], inverse: false },
        }],
        state: [{ streamId: 3, op: 'updateStateByKey', keys: 2 }],
        stateSize: 2,
        outputs: 2,
      },
      {
        api: 'dstream',
        batchTimeMs: 3000,
        batchTime: '1970-01-01 00:00:03',
        intervalStartMs: 2000,
        inputs: [{ streamId: 0, name: 'queueStream', records: 0, hasRdd: true, sample: [] }],
        windows: [{ streamId: 1, op: 'window', windowMs: 2000, slideMs: 2000, containing: [{ startMs: 2000, endMs: 4000 }], emitted: null }],
        state: [{ streamId: 3, op: 'updateStateByKey', keys: 2 }],
        stateSize: 2,
        outputs: 1,
      },
    ]);
  });

  it('a sliding window lists every window a batch falls in', async () => {
    const h = harness();
    const traces: DStreamBatchTrace[] = [];
    h.ssc.addStreamingListener({ onBatchCompleted: (t) => traces.push(t) });
    h.ssc.queueStream([[1]]).window(3, 1).pprint();
    await h.runBatches(1);
    expect(traces[0]!.windows[0]!.containing).toEqual([
      { startMs: -2000, endMs: 1000 },
      { startMs: -1000, endMs: 2000 },
      { startMs: 0, endMs: 3000 },
    ]);
    expect(traces[0]!.windows[0]!.emitted).toEqual({ startMs: -2000, endMs: 1000, batchTimesMs: [1000], inverse: false });
  });

  it('list the first 200 records of each input: a pair\'s key (as Kafka\'s [key, value]) and its pprint text', async () => {
    const h = harness();
    const traces: DStreamBatchTrace[] = [];
    h.ssc.addStreamingListener({ onBatchCompleted: (t) => traces.push(t) });
    const many = Array.from({ length: 250 }, (_, i) => [`s${i % 3}`, i] as [string, number]);
    h.ssc.queueStream<[unknown, unknown]>([[['sensor-1', '{"t": 20.5}'], [null, 'no key'], [7, 'x']], many]).pprint();
    await h.runBatches(2);
    expect(traces[0]!.inputs[0]!.sample).toEqual([
      { key: 'sensor-1', preview: '(\'sensor-1\', \'{"t": 20.5}\')' },
      { key: null, preview: "(None, 'no key')" },
      { key: '7', preview: "(7, 'x')" },
    ]);
    expect([traces[1]!.inputs[0]!.records, traces[1]!.inputs[0]!.sample.length, traces[1]!.inputs[0]!.sample[199]]).toEqual([250, 200, { key: 's1', preview: "('s1', 199)" }]);
  });
});
