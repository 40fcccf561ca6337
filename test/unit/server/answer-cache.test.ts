/** The serving layer's answer cache: a hit only under the version an answer was computed from. */
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../../runtime/src/server/answer-cache.js';

describe('AnswerCache', () => {
  it('misses, then hits under the same version, and drops the answer once the version moves', () => {
    const cache = new AnswerCache<string[]>();
    expect(cache.lookup('q', '10:12:')).toBeUndefined();
    cache.store('q', '10:12:', ['a']);
    expect(cache.lookup('q', '10:12:')).toEqual(['a']);
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, invalidations: 0 });
    // A transaction committed: the snapshot moved, so the kept answer is stale.
    expect(cache.lookup('q', '10:13:')).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, invalidations: 1 });
    expect(cache.has('q', '10:12:')).toBe(false);
    cache.store('q', '10:13:', ['a', 'b']);
    expect(cache.lookup('q', '10:13:')).toEqual(['a', 'b']);
    expect(cache.lookup('other', '10:13:')).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 2, misses: 3, invalidations: 1 });
  });

  it('keeps at most its capacity, forgetting the oldest answer first', () => {
    const cache = new AnswerCache<number>(2);
    cache.store('a', 'v', 1);
    cache.store('b', 'v', 2);
    cache.store('c', 'v', 3);
    expect([cache.has('a', 'v'), cache.has('b', 'v'), cache.has('c', 'v')]).toEqual([false, true, true]);
  });
});
