/**
 * Committed consumer offsets, keyed by (group, topic, partition). With a data dir every commit is
 * appended to `groups/offsets.jsonl` before the commit is acknowledged, and the file is replayed
 * (then rewritten compactly) on start, so consumers resume where they left off after a restart.
 * Offsets are kept until their topic is deleted; Kafka's 7-day expiry of empty groups is left out
 * on purpose for a teaching broker.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One committed offset. */
export interface CommittedOffset {
  readonly offset: number;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  readonly commitTimestamp: number;
}

type Line =
  | { g: string; t: string; p: number; o: number; e: number; m: string | null; ts: number }
  | { deleteTopic: string };

/** Committed offsets per group, optionally persisted. */
export class OffsetStore {
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private fd: number | undefined;

  constructor(dataDir?: string) {
    if (!dataDir) return;
    const dir = join(dataDir, 'groups');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'offsets.jsonl');
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      const last = lines.findLastIndex((l) => l !== '');
      for (const [i, raw] of lines.entries()) {
        if (!raw) continue;
        let line: Line;
        try {
          line = JSON.parse(raw) as Line;
        } catch (e) {
          // A torn last line from a killed process: everything before it is intact. A broken line
          // with commits after it is damage: stop rather than rewrite the file without them.
          if (i === last) break;
          throw new Error(`${path}: line ${i + 1} of the committed offsets cannot be read (${e instanceof Error ? e.message : String(e)}); restore or remove the file`);
        }
        this.apply(line);
      }
    }
    // Rewrite compactly so the file does not grow with every auto-commit across restarts.
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, this.snapshotLines().join(''));
    renameSync(tmp, path);
    this.fd = openSync(path, 'a');
  }

  private apply(line: Line): void {
    if ('deleteTopic' in line) {
      for (const topics of this.groups.values()) topics.delete(line.deleteTopic);
      return;
    }
    let topics = this.groups.get(line.g);
    if (!topics) this.groups.set(line.g, (topics = new Map()));
    let parts = topics.get(line.t);
    if (!parts) topics.set(line.t, (parts = new Map()));
    parts.set(line.p, { offset: line.o, leaderEpoch: line.e, metadata: line.m, commitTimestamp: line.ts });
  }

  private snapshotLines(): string[] {
    const out: string[] = [];
    for (const [g, topics] of this.groups) {
      for (const [t, parts] of topics) {
        for (const [p, c] of parts) {
          const line: Line = { g, t, p, o: c.offset, e: c.leaderEpoch, m: c.metadata, ts: c.commitTimestamp };
          out.push(`${JSON.stringify(line)}\n`);
        }
      }
    }
    return out;
  }

  private persist(lines: Line[]): void {
    if (this.fd === undefined || lines.length === 0) return;
    writeSync(this.fd, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  }

  /** Stores several offsets of one group atomically with respect to a crash of this process. */
  commit(group: string, entries: ReadonlyArray<{ topic: string; partition: number } & CommittedOffset>): void {
    const lines: Line[] = entries.map((e) => ({
      g: group,
      t: e.topic,
      p: e.partition,
      o: e.offset,
      e: e.leaderEpoch,
      m: e.metadata,
      ts: e.commitTimestamp,
    }));
    this.persist(lines);
    for (const l of lines) this.apply(l);
  }

  /** The committed offset, if any. */
  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(topic)?.get(partition);
  }

  /** Every committed partition of a group. */
  all(group: string): Array<{ topic: string; partition: number; committed: CommittedOffset }> {
    const out: Array<{ topic: string; partition: number; committed: CommittedOffset }> = [];
    for (const [topic, parts] of this.groups.get(group) ?? []) {
      for (const [partition, committed] of parts) out.push({ topic, partition, committed });
    }
    return out;
  }

  /** Groups that have at least one committed offset. */
  groupIds(): string[] {
    return [...this.groups].filter(([, t]) => [...t.values()].some((p) => p.size > 0)).map(([g]) => g);
  }

  /** Drops every group's offsets for a deleted topic, as Kafka does. */
  deleteTopic(topic: string): void {
    const line: Line = { deleteTopic: topic };
    this.persist([line]);
    this.apply(line);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
