/**
 * The `rate` source: `rowsPerSecond` rows per second of processing time with columns
 * `timestamp TIMESTAMP, value LONG`. The offset is `[elapsedSeconds, startMs]` so a restarted query
 * produces the same values and timestamps.
 */
import type { Row } from '../expressions/compile.js';
import { IllegalArgumentException } from '../errors.js';
import { LONG, StructField, StructType, TIMESTAMP } from '../types.js';
import type { Offset, ReadLimit, Source, SourceContext, SourceProvider } from './source.js';

const RATE_SCHEMA = new StructType([new StructField('timestamp', TIMESTAMP, true), new StructField('value', LONG, true)]);

function rowsPerSecond(options: Readonly<Record<string, string>>): number {
  const raw = options.rowsPerSecond ?? options.rowspersecond ?? '1';
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new IllegalArgumentException(`Invalid value '${raw}'. The option 'rowsPerSecond' must be positive`, { code: 'INVALID_OPTION' });
  return n;
}

class RateSource implements Source {
  readonly schema = RATE_SCHEMA;
  constructor(private readonly ctx: SourceContext, private readonly rps: number) {}

  async initialOffset(): Promise<Offset> {
    return [0, this.ctx.clock.now()];
  }
  defaultReadLimit(): ReadLimit {
    return { kind: 'allAvailable' };
  }
  async latestOffset(start: Offset): Promise<Offset> {
    const [, startMs] = start as [number, number];
    return [Math.max((start as number[])[0], Math.floor((this.ctx.clock.now() - startMs) / 1000)), startMs];
  }
  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    const [s0, startMs] = start as [number, number];
    const [s1] = end as [number, number];
    const out: Row[] = [];
    for (let s = s0; s < s1; s++) {
      for (let i = 0; i < this.rps; i++) {
        const v = s * this.rps + i;
        out.push([(startMs + s * 1000 + Math.floor((i * 1000) / this.rps)) * 1000, v]);
      }
    }
    return out;
  }
  async commit(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** Provider registered under `format("rate")`. */
export const rateSourceProvider: SourceProvider = {
  sourceSchema(options, userSchema) {
    if (userSchema) throw new IllegalArgumentException('The rate source does not support a user-specified schema.', { code: 'INVALID_OPTION' });
    rowsPerSecond(options);
    return RATE_SCHEMA;
  },
  createSource(ctx) {
    return new RateSource(ctx, rowsPerSecond(ctx.options));
  },
};
