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

  it('gives each commit a delta of its own writes and removals', () => {
    const s = new StateStore<number>();
    s.put('a', 1);
    s.put('b', 2, false);
    s.commit();
    const first = s.committedVersionForCheckpoint().delta;
    s.put('a', 10, true);
    s.put('c', 3);
    expect(s.size).toBe(3);
    s.commit();
    const second = s.committedVersionForCheckpoint().delta;
    s.remove('b');
    s.put('d', 4);
    s.commit();
    const third = s.committedVersionForCheckpoint().delta;
    expect([first.version, [...first.puts], first.deletes]).toEqual([1, [['a', 1], ['b', 2]], []]);
    expect([second.version, [...second.puts], second.deletes]).toEqual([2, [['a', 10], ['c', 3]], []]);
    expect([third.version, [...third.puts], third.deletes]).toEqual([3, [['d', 4]], ['b']]);
    expect([...s.entries()]).toEqual([['a', 10], ['c', 3], ['d', 4]]);
    expect(s.size).toBe(3);
    expect(s.hasPending).toBe(false);
  });
});
