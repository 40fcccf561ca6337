/**
 * The broker's storage core, independent of the wire protocol: topics made of partition logs,
 * created and deleted by name, persisted under `<dataDir>/topics/<name>/` (a `topic.json` with
 * the partition count and configs, and one directory per partition holding segment files).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOG_CONFIG, PartitionLog, type LogConfig } from './partition-log.js';
import { isRecord, readJsonFile } from '../json-file.js';

/** A topic and its partitions. */
export interface Topic {
  readonly name: string;
  readonly partitions: readonly PartitionLog[];
  readonly config: LogConfig;
}

/** Why a topic could not be created. */
export type CreateTopicError = 'exists' | 'invalid-name' | 'invalid-partitions';

/** The storage interface the wire layer (and the workbench) talks to. */
export interface LogStore {
  topics(): readonly Topic[];
  topic(name: string): Topic | undefined;
  partition(topic: string, partition: number): PartitionLog | undefined;
  createTopic(name: string, partitions: number, config?: Partial<LogConfig>): Topic | CreateTopicError;
  deleteTopic(name: string): boolean;
  /** Runs retention over every partition; returns the number of deleted segments. */
  enforceRetention(now: number): number;
  close(): void;
}

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;

/** Kafka's topic-name rule: 1-249 characters from [a-zA-Z0-9._-], not "." or "..". */
export function isValidTopicName(name: string): boolean {
  return name.length > 0 && name.length <= 249 && name !== '.' && name !== '..' && LEGAL_NAME.test(name);
}

interface TopicFile {
  partitions: number;
  config: LogConfig;
}

function isTopicFile(value: unknown): value is TopicFile {
  return isRecord(value) && Number.isInteger(value.partitions) && (value.partitions as number) > 0 && (value.config === undefined || isRecord(value.config));
}

/** A {@link LogStore} in memory (no `dataDir`) or on disk. */
export class FileLogStore implements LogStore {
  private readonly byName = new Map<string, Topic>();

  /**
   * @param log where recovery says what it cut (a torn tail) or why a partition is stopped (damage)
   */
  constructor(private readonly dataDir?: string, log: (line: string) => void = () => {}) {
    if (!dataDir) return;
    const root = join(dataDir, 'topics');
    mkdirSync(root, { recursive: true });
    for (const name of readdirSync(root)) {
      const metaPath = join(root, name, 'topic.json');
      if (!existsSync(metaPath)) continue; // a create interrupted before its metadata landed
      const meta = readJsonFile(metaPath, `the metadata of topic ${name}`, isTopicFile);
      const config = { ...DEFAULT_LOG_CONFIG, ...meta.config };
      const partitions = Array.from({ length: meta.partitions }, (_, p) =>
        PartitionLog.open(join(root, name, String(p)), config),
      );
      for (const p of partitions) for (const note of p.notes) log(note);
      this.byName.set(name, { name, partitions, config });
    }
  }

  topics(): readonly Topic[] {
    return [...this.byName.values()];
  }

  topic(name: string): Topic | undefined {
    return this.byName.get(name);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.byName.get(topic)?.partitions[partition];
  }

  createTopic(name: string, partitions: number, overrides: Partial<LogConfig> = {}): Topic | CreateTopicError {
    if (!isValidTopicName(name)) return 'invalid-name';
    if (this.byName.has(name)) return 'exists';
    if (!Number.isInteger(partitions) || partitions <= 0) return 'invalid-partitions';
    const config = { ...DEFAULT_LOG_CONFIG, ...overrides };
    let dir: string | undefined;
    if (this.dataDir) {
      dir = join(this.dataDir, 'topics', name);
      mkdirSync(dir, { recursive: true });
      const meta: TopicFile = { partitions, config };
      writeFileSync(join(dir, 'topic.json'), JSON.stringify(meta));
    }
    const logs = Array.from({ length: partitions }, (_, p) =>
      PartitionLog.open(dir ? join(dir, String(p)) : undefined, config),
    );
    const topic = { name, partitions: logs, config };
    this.byName.set(name, topic);
    return topic;
  }

  deleteTopic(name: string): boolean {
    const topic = this.byName.get(name);
    if (!topic) return false;
    this.byName.delete(name);
    for (const p of topic.partitions) p.destroy();
    if (this.dataDir) rmSync(join(this.dataDir, 'topics', name), { recursive: true, force: true });
    return true;
  }

  enforceRetention(now: number): number {
    let n = 0;
    for (const t of this.byName.values()) for (const p of t.partitions) n += p.enforceRetention(now);
    return n;
  }

  close(): void {
    for (const t of this.byName.values()) for (const p of t.partitions) p.close();
  }
}
