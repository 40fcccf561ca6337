import { describe, expect, it } from 'vitest';
import { compileFunction, runDStreamScenario, type DStreamScenario } from '../../../runtime/src/testing/conformance/dstream.js';

describe('conformance scenario function notation', () => {
  it('reads arrows with tuples as arrays, calls as calls', () => {
    expect(compileFunction('x -> (x, 1)')(3)).toEqual([3, 1]);
    expect(compileFunction('kv -> (kv[0], (kv[1], 1))')(['a', 2])).toEqual(['a', [2, 1]]);
    expect(compileFunction('x -> (x,)')(3)).toEqual([3]);
    expect(compileFunction('kv -> kv[1] > 0')(['a', 0])).toBe(false);
    expect(compileFunction('(vs, s) -> (s || []).concat(vs)')([1, 2], null)).toEqual([1, 2]);
    expect(compileFunction('(values, state) -> sum(values) + (state ?? 0)')([1, 2], 4)).toBe(7);
    expect(compileFunction('x -> max(x, 2) * (x + 1)')(3)).toBe(12);
    expect(compileFunction("x -> x === '(a, b)'")('(a, b)')).toBe(true);
  });

  it('accepts Python lambdas, operator names and builtins', () => {
    expect(compileFunction('lambda x, y: x if x > y else y')(2, 5)).toBe(5);
    expect(compileFunction('kv -> (kv[0], 0 if kv[1] < 0 else kv[1])')(['a', -3])).toEqual(['a', 0]);
    expect(compileFunction('lambda vs, s: None if len(vs) == 0 and not s else len(vs)')([], null)).toBeNull();
    expect(compileFunction('+')(2, 3)).toBe(5);
    expect(compileFunction('-')(2, 3)).toBe(-1);
    expect(compileFunction('operator.add')('a', 'b')).toBe('ab');
    expect(compileFunction('str')(1.5)).toBe('1.5');
    expect(compileFunction('list')(new Set([1, 2]))).toEqual([1, 2]);
    expect(compileFunction('x -> { const y = x * 2; return [x, y]; }')(2)).toEqual([2, 4]);
    expect(() => compileFunction('lambda i: raise ValueError("This is a special error")')(1)).toThrowError(
      expect.objectContaining({ name: 'ValueError', message: 'This is a special error' }),
    );
  });
});

describe('a failing scenario function', () => {
  it('stops the context and satisfies a runtime expectError', async () => {
    const scenario: DStreamScenario = {
      id: 'ds-failed-func',
      api: 'dstream',
      semanticsOf: 'pyspark',
      query: { batchIntervalMs: 500, input: { kind: 'queueStream', numPartitions: 1 }, checkpoint: false, pipeline: [{ op: 'map', fn: 'i -> raise ValueError("This is a special error")' }] },
      steps: [{ inputBatches: [[0], [1]] }, { runBatches: 2 }, { expectError: { when: 'runtime', type: 'ValueError', contains: ['This is a special error'] } }],
    };
    expect(await runDStreamScenario(scenario)).toEqual({ ok: true });
  });
});
