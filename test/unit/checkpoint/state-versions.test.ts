/**
 * An operator's state versions in both checkpoint stores: each batch keeps what it changed (a delta),
 * the whole state only every few versions (file) or never again (memory), and any of the last 100
 * versions reads back exactly; a batch written again after a restart replaces the versions after it.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../runtime/src/checkpoint/file-checkpoint-store.js';
import { InMemoryCheckpointStore, RETAIN_STATE_VERSIONS, RETAIN_STATE_VERSIONS_IN_MEMORY, type CheckpointStore } from '../../../runtime/src/engine/state/checkpoint-store.js';
import { toJsonText } from '../../../runtime/src/engine/serde.js';
import { StateStore, type StateSnapshot } from '../../../runtime/src/engine/state/state-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'streamlab-state-'));
  dirs.push(d);
  return d;
}

/** A seeded stream of batches: each writes some keys and removes some committed ones. */
function* batches(seed: number, count: number): Generator<{ puts: [string, { n: number }][]; removes: string[] }> {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let b = 0; b < count; b++) {
    const puts: [string, { n: number }][] = [];
    for (let i = 0; i < 5; i++) puts.push([`k${Math.floor(rand() * 40)}`, { n: b * 10 + i }]);
    const removes = [`k${Math.floor(rand() * 40)}`];
    yield { puts, removes };
  }
}

/** Runs `count` batches through a state store into `cp`, returning the state after each version. */
async function play(cp: CheckpointStore, count: number, seed = 7, store = new StateStore<{ n: number }>()): Promise<Map<number, [string, { n: number }][]>> {
  const expected = new Map<number, [string, { n: number }][]>();
  for (const b of batches(seed, count)) {
    for (const k of b.removes) store.remove(k);
    for (const [k, v] of b.puts) store.put(k, v);
    const version = store.commit();
    await cp.writeState(3, version, store.committedVersionForCheckpoint());
    expected.set(version, [...store.entries()]);
  }
  return expected;
}

const sorted = (pairs: Iterable<readonly [string, unknown]>) => [...pairs].sort(([a], [b]) => a.localeCompare(b));

describe.each([
  ['in memory', () => new InMemoryCheckpointStore(), RETAIN_STATE_VERSIONS_IN_MEMORY],
  ['in memory, keeping 100 versions', () => new InMemoryCheckpointStore(RETAIN_STATE_VERSIONS), RETAIN_STATE_VERSIONS],
  ['on disk', () => new FileCheckpointStore(tempDir()), RETAIN_STATE_VERSIONS],
] as const)('state versions %s', (_name, make, retained) => {
  it('reads back every retained version exactly, and none older', async () => {
    const cp = make();
    const expected = await play(cp, 250);
    for (let v = 250 - retained + 1; v <= 250; v++) {
      const snap = await cp.readState(3, v);
      expect({ v, entries: sorted(snap!.entries) }).toEqual({ v, entries: sorted(expected.get(v)!) });
      expect(snap!.version).toBe(v);
    }
    expect(await cp.readState(3, 251)).toBe(null);
    expect(await cp.readState(3, 250 - 2 * retained)).toBe(null);
    expect(await cp.readState(4, 1)).toBe(null);
  });

  it('replaces the versions after a batch written again, as after a restart', async () => {
    const cp = make();
    await play(cp, 30);
    // The query restarts from the version before the last and runs the last batch again, differently.
    const restored = new StateStore<{ n: number }>();
    restored.restore((await cp.readState(3, 29)) as StateSnapshot<{ n: number }>);
    const before = sorted((await cp.readState(3, 29))!.entries);
    restored.put('new', { n: -1 });
    restored.commit(30);
    await cp.writeState(3, 30, restored.committedVersionForCheckpoint());
    expect(sorted((await cp.readState(3, 30))!.entries)).toEqual(sorted([...before.filter(([k]) => k !== 'new'), ['new', { n: -1 }]]));
    expect(await cp.readState(3, 31)).toBe(null);
  });
});

describe('state versions on disk', () => {
  it('writes a delta per version and the whole state every 10, and removes what no retained version needs', async () => {
    const dir = tempDir();
    await play(new FileCheckpointStore(dir), 250);
    const files = readdirSync(join(dir, 'state', '3', '0'));
    const of = (kind: string) => files.filter((f) => f.endsWith(kind)).map((f) => Number(f.split('.')[0])).sort((a, b) => a - b);
    // Version 151 is the oldest retained; the snapshot at 150 is the newest at or before it.
    expect(of('.snapshot')).toEqual([150, 160, 170, 180, 190, 200, 210, 220, 230, 240, 250]);
    expect(of('.delta')).toEqual(Array.from({ length: 101 }, (_, i) => 150 + i));
  });

  it('continues the chain from a new store on the same folder (a restarted process)', async () => {
    const dir = tempDir();
    const first = await play(new FileCheckpointStore(dir), 15);
    const store = new StateStore<{ n: number }>();
    const reopened = new FileCheckpointStore(dir);
    store.restore((await reopened.readState(3, 15)) as StateSnapshot<{ n: number }>);
    expect(sorted(store.entries())).toEqual(sorted(first.get(15)!));
    store.put('after', { n: 1 });
    store.commit(16);
    await reopened.writeState(3, 16, store.committedVersionForCheckpoint());
    expect(sorted((await new FileCheckpointStore(dir).readState(3, 16))!.entries)).toEqual(sorted([...first.get(15)!.filter(([k]) => k !== 'after'), ['after', { n: 1 }]]));
  });

  it('reads a folder written with a whole snapshot per version', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'state', '0', '0'), { recursive: true });
    writeFileSync(join(dir, 'state', '0', '0', '4.snapshot'), toJsonText({ version: 4, entries: new Map([['a', 1], ['b', 2]]) }));
    const snap = await new FileCheckpointStore(dir).readState(0, 4);
    expect(sorted(snap!.entries)).toEqual([['a', 1], ['b', 2]]);
    expect(await new FileCheckpointStore(dir).readState(0, 3)).toBe(null);
  });
});

describe('state versions in memory', () => {
  it('holds one copy of the state and the retained deltas, however many batches run', async () => {
    const cp = new InMemoryCheckpointStore();
    await play(cp, 1000);
    const log = (cp as unknown as { state: Map<number, { deltas: Map<number, unknown>; baseVersion: number }> }).state.get(3)!;
    expect(log.deltas.size).toBeLessThanOrEqual(2 * RETAIN_STATE_VERSIONS_IN_MEMORY);
    expect(log.deltas.size).toBeGreaterThanOrEqual(RETAIN_STATE_VERSIONS_IN_MEMORY);
    expect(log.baseVersion + log.deltas.size).toBe(1000);
  });
});
