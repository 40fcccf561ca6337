import { describe, expect, it } from 'vitest';
import { LocalStore } from './local-store.js';

/** A Storage over a Map, as localStorage behaves. */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('LocalStore', () => {
  it('keeps the last check results per lesson across a new store (a reload)', () => {
    const storage = memoryStorage();
    new LocalStore(storage).saveChecks('03', [{ name: 'a', passed: true, points: 2, maxPoints: 2 }, { name: 'b', passed: false, message: 'why' }]);
    const reloaded = new LocalStore(storage);
    expect(reloaded.loadChecks('03')).toEqual([{ name: 'a', passed: true, points: 2, maxPoints: 2 }, { name: 'b', passed: false, message: 'why' }]);
    expect(reloaded.loadChecks('04')).toEqual([]);
  });

  it('keeps the code Reset or Show solution set aside until it is restored or forgotten', () => {
    const storage = memoryStorage();
    const store = new LocalStore(storage);
    store.saveKept('03', { files: [{ path: 'starter.ts', content: 'mine' }], replacedBy: 'solution' });
    expect(new LocalStore(storage).loadKept('03')).toEqual({ files: [{ path: 'starter.ts', content: 'mine' }], replacedBy: 'solution' });
    store.saveKept('03', null);
    expect(new LocalStore(storage).loadKept('03')).toBeNull();
  });

  it('ignores stored values of the wrong shape', () => {
    const storage = memoryStorage();
    storage.setItem('streamlab:checks:03', '{"not":"a list"}');
    storage.setItem('streamlab:kept:03', '{"files":[{"path":1}],"replacedBy":"solution"}');
    const store = new LocalStore(storage);
    expect([store.loadChecks('03'), store.loadKept('03')]).toEqual([[], null]);
  });
});
