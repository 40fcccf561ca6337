/**
 * Producer ids for InitProducerId. An id is never handed out twice, even across restarts on the same
 * data directory: a partition remembers the sequence numbers of every producer id it has seen, so a
 * reused id would make a new producer's first batch look out of order. Ids come in blocks of 1000
 * whose end is written to `<dataDir>/producer-ids.json` before any id of the block is given out (as
 * Kafka's controller allocates producer id blocks).
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { isRecord, readJsonFile } from '../json-file.js';
import { join } from 'node:path';

const BLOCK = 1000;

/** Allocates producer ids, persistently when given a data directory. */
export class ProducerIdAllocator {
  private nextId = 0;
  private blockEnd = 0;
  private readonly path: string | undefined;

  constructor(dataDir?: string) {
    this.path = dataDir ? join(dataDir, 'producer-ids.json') : undefined;
    if (this.path && existsSync(this.path)) {
      const saved = readJsonFile(this.path, 'the next producer id block', (v): v is { nextBlockStart: number } => isRecord(v) && Number.isInteger(v.nextBlockStart));
      this.nextId = saved.nextBlockStart;
      this.blockEnd = saved.nextBlockStart;
    }
  }

  /** A producer id no earlier call (in this or an earlier run on the same directory) returned. */
  next(): number {
    if (this.nextId >= this.blockEnd) {
      this.blockEnd = this.nextId + BLOCK;
      if (this.path) {
        writeFileSync(`${this.path}.tmp`, JSON.stringify({ nextBlockStart: this.blockEnd }));
        renameSync(`${this.path}.tmp`, this.path);
      }
    }
    return this.nextId++;
  }
}
