import { describe, expect, it } from 'vitest';
import { KafkaUtils, MemoryTopics } from '../../../runtime/src/engine/dstream/index.js';
import { harness } from './harness.js';

describe('the program as data', () => {
  it('records one node per API call, with arguments and function sources, not the streams built inside', () => {
    const h = harness(10, { kafka: new MemoryTopics() });
    h.ssc.checkpoint('ckpt');
    const readings = KafkaUtils.createDirectStream(h.ssc, ['sensors'], { 'auto.offset.reset': 'earliest' })
      .map(([, v]) => JSON.parse(v) as { s: string; t: number });
    const averages = readings
      .map((r) => [r.s, r.t])
      .reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 60, 10, undefined, ([, v]) => v !== 0);
    averages.pprint(5);
    averages.countByWindow(30, 10).foreachRDD((rdd) => rdd.count());
    expect(h.ssc.describe()).toEqual({
      batchDurationMs: 10_000,
      checkpointDir: 'ckpt',
      nodes: [
        { id: 0, op: 'createDirectStream', kind: 'input', inputs: [], args: { topics: ['sensors'], kafkaParams: { 'auto.offset.reset': 'earliest' } }, functions: {} },
        { id: 1, op: 'map', kind: 'transformation', inputs: [0], args: {}, functions: { f: '([, v]) => JSON.parse(v)' } },
        { id: 2, op: 'map', kind: 'transformation', inputs: [1], args: {}, functions: { f: '(r) => [r.s, r.t]' } },
        {
          id: 3, op: 'reduceByKeyAndWindow', kind: 'transformation', inputs: [2],
          args: { windowMs: 60_000, slideMs: 10_000, numPartitions: undefined },
          functions: { func: '(a, b) => a + b', invFunc: '(a, b) => a - b', filterFunc: '([, v]) => v !== 0' },
        },
        { id: 4, op: 'pprint', kind: 'output', inputs: [3], args: { num: 5 }, functions: {} },
        { id: 5, op: 'countByWindow', kind: 'transformation', inputs: [3], args: { windowMs: 30_000, slideMs: 10_000 }, functions: {} },
        { id: 6, op: 'foreachRDD', kind: 'output', inputs: [5], args: {}, functions: { func: '(rdd) => rdd.count()' } },
      ],
    });
  });

  it('records queueStream data and unions of several streams', () => {
    const h = harness();
    const a = h.ssc.queueStream([[1], [2]]);
    const b = h.ssc.queueStream([[3]], false, [0]);
    h.ssc.union(a, b).pprint();
    expect(h.ssc.describe().nodes.map(({ id, op, inputs, args }) => ({ id, op, inputs, args }))).toEqual([
      { id: 0, op: 'queueStream', inputs: [], args: { rdds: [[1], [2]], partitions: [2, 2], oneAtATime: true, default: null } },
      { id: 1, op: 'queueStream', inputs: [], args: { rdds: [[3]], partitions: [2], oneAtATime: false, default: [0] } },
      { id: 2, op: 'union', inputs: [0, 1], args: {} },
      { id: 3, op: 'pprint', inputs: [2], args: { num: 10 } },
    ]);
  });
});
