/** The versioned state store: reads see this batch's writes, commit publishes, abort discards. */
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../../runtime/src/engine/state/state-store.js';

describe('StateStore', () => {
  it('publishes writes on commit and discards them on abort', () => {
    const s = new StateStore<number>();
    s.put('a', 1);
    s.put('b', 2);
    expect(s.get('a')).toBe(1);
    expect(s.size).toBe(2);
    expect(s.commit()).toBe(1);
    s.put('a', 10);
    s.remove('b');
    s.put('c', 3);
    expect([...s.entries()]).toEqual([['a', 10], ['c', 3]]);
    s.abort();
    expect([...s.entries()]).toEqual([['a', 1], ['b', 2]]);
    expect(s.version).toBe(1);
  });

  it('snapshots and restores a committed version', () => {
    const s = new StateStore<number[]>();
    s.put('k', [1, 2]);
    s.commit(5);
    const restored = new StateStore<number[]>();
    restored.restore(s.snapshot());
    expect(restored.version).toBe(5);
    expect(restored.get('k')).toEqual([1, 2]);
    expect(restored.hasPending).toBe(false);
  });
});
