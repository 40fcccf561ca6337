/**
 * `testStream`, modelled on Spark's StreamTest: a list of actions run in order against a streaming
 * DataFrame written to a memory sink, usable from vitest and from lesson checks.
 *
 *   await testStream(counts, 'update')
 *     .addData(input, [10, 11, 12])        // one new offset of the MemoryStream
 *     .expect([[10, 3]])                   // processes everything, then compares new rows
 *     .advanceClock('10 seconds')          // ManualClock of the session
 *     .restart()                           // stop and start again on the same checkpoint
 *     .expectStateRows(1)
 *     .expectWatermark('1970-01-01T00:00:05.000Z')
 *     .run();
 *
 * Rows are compared as multisets of rendered values (timestamps as Spark strings, structs as arrays);
 * expected rows may be arrays in column order or objects keyed by column name.
 */
import type { Row } from '../engine/expressions/compile.js';
import { ManualClock } from '../engine/clock.js';
import { intervalMicros } from '../engine/time.js';
import type { DataFrame } from '../engine/structured/dataframe.js';
import type { MemoryStream } from '../engine/structured/memory-stream.js';
import type { TriggerOptions } from '../engine/structured/stream-writer.js';
import type { StreamingQuery } from '../engine/structured/streaming-query.js';
import type { MemorySink } from '../engine/sinks/memory-sink.js';
import { compareRows } from './conformance/scenario.js';
import { renderRows } from './render.js';

/** Which sink rows an `expect` compares. */
export type ExpectMode = 'newRowsSinceLastExpect' | 'lastBatch' | 'allRowsSoFar';

/** Options of a test stream. */
export interface TestStreamOptions {
  /** Checkpoint location (default: a fresh in-memory one, kept across `restart()`). */
  checkpointLocation?: string;
  trigger?: TriggerOptions;
}

/** Raised when an expectation fails; the message tells the story so far. */
export class StreamAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamAssertionError';
  }
}

type Action = { describe: string; run: (ctx: RunState) => Promise<void> };

interface RunState {
  query: StreamingQuery | null;
  sink: MemorySink | null;
  seenBatch: number;
  pendingError: unknown;
}

let counter = 0;

/** A scripted streaming test. */
export class TestStream implements PromiseLike<void> {
  private readonly actions: Action[] = [];
  private readonly name = `test_stream_${counter++}`;
  private readonly checkpoint: string;

  constructor(private readonly df: DataFrame, private readonly outputMode: string, private readonly options: TestStreamOptions = {}) {
    this.checkpoint = options.checkpointLocation ?? `memory:${this.name}`;
  }

  private add(describe: string, run: (ctx: RunState) => Promise<void>): this {
    this.actions.push({ describe, run });
    return this;
  }

  private start(ctx: RunState): void {
    let w = this.df.writeStream.format('memory').queryName(this.name).outputMode(this.outputMode).option('checkpointLocation', this.checkpoint);
    if (this.options.trigger) w = w.trigger(this.options.trigger);
    ctx.query = w.start();
    ctx.sink = this.df.sparkSession.memorySinks.get(this.name) ?? null;
  }

  /** Starts the query (implicit before the first action that needs it). */
  startStream(): this {
    return this.add('StartStream', async (ctx) => {
      if (!ctx.query) this.start(ctx);
    });
  }

  /** Adds one batch of rows to a MemoryStream (one new offset). */
  addData(stream: MemoryStream, ...rows: unknown[]): this {
    return this.add(`AddData(${JSON.stringify(rows)})`, async (ctx) => {
      stream.addData(...rows);
      if (!ctx.query) this.start(ctx);
    });
  }

  /** Runs every batch that is due, including no-data batches. */
  processAllAvailable(): this {
    return this.add('ProcessAllAvailable', async (ctx) => {
      if (!ctx.query) this.start(ctx);
      await ctx.query!.processAllAvailable();
    });
  }

  /** Advances the session's ManualClock, then lets a processing-time trigger run what became due. */
  advanceClock(duration: number | string): this {
    return this.add(`AdvanceClock(${duration})`, async (ctx) => {
      const clock = this.df.sparkSession.clock;
      if (!(clock instanceof ManualClock)) throw new StreamAssertionError('advanceClock needs a session built with a ManualClock');
      clock.advance(typeof duration === 'number' ? duration : intervalMicros(duration) / 1000);
      if (ctx.query) await ctx.query.awaitIdle();
    });
  }

  /** Processes everything available, then compares sink rows (default: rows since the previous expect). */
  expect(rows: readonly unknown[], mode: ExpectMode = 'newRowsSinceLastExpect', options: { ordered?: boolean } = {}): this {
    return this.add(`Expect(${mode}, ${JSON.stringify(rows)})`, async (ctx) => {
      if (!ctx.query) this.start(ctx);
      // A processing-time trigger runs on clock ticks only: wait for it instead of forcing batches.
      if (this.options.trigger?.processingTime !== undefined) await ctx.query!.awaitIdle();
      else await ctx.query!.processAllAvailable();
      const sink = ctx.sink!;
      const schema = sink.schema ?? this.df.schema;
      let got: Row[];
      if (mode === 'allRowsSoFar') got = sink.allRows();
      else if (mode === 'lastBatch') got = sink.batchRows(ctx.query!.lastProgress?.batchId ?? -1);
      else {
        // In complete mode every batch is the whole table: only the latest one is new.
        let ids = sink.batchIds().filter((id) => id > ctx.seenBatch);
        if (this.outputMode === 'complete') ids = ids.slice(-1);
        got = ids.flatMap((id) => sink.batchRows(id));
      }
      const ids = sink.batchIds();
      if (ids.length > 0) ctx.seenBatch = Math.max(ctx.seenBatch, ...ids);
      const cols = schema.fieldNames();
      const expected = rows.map((r) => (Array.isArray(r) ? r : r !== null && typeof r === 'object' ? cols.map((c) => (r as Record<string, unknown>)[c]) : [r]));
      const diff = compareRows(renderRows(got, schema), expected, options.ordered === true);
      if (diff) throw new StreamAssertionError(diff);
    });
  }

  /** Stops the query and starts it again on the same checkpoint (state, offsets, watermark kept). */
  restart(): this {
    return this.add('Restart', async (ctx) => {
      if (ctx.query) await ctx.query.stop();
      this.start(ctx);
    });
  }

  /** Stops the query. */
  stop(): this {
    return this.add('StopStream', async (ctx) => {
      await ctx.query?.stop();
      ctx.query = null;
    });
  }

  /** Total rows held by the first stateful operator. */
  expectStateRows(n: number): this {
    return this.add(`ExpectStateRows(${n})`, async (ctx) => {
      const got = ctx.query?.stateRowCount(0) ?? 0;
      if (got !== n) throw new StreamAssertionError(`expected ${n} state rows but there are ${got}`);
    });
  }

  /** The watermark the most recent batch ran with (epoch ms or ISO string). */
  expectWatermark(watermark: number | string): this {
    return this.add(`ExpectWatermark(${watermark})`, async (ctx) => {
      const iso = ctx.query?.lastProgress?.eventTime?.watermark ?? new Date(0).toISOString();
      const want = typeof watermark === 'number' ? new Date(watermark).toISOString() : watermark;
      if (iso !== want) throw new StreamAssertionError(`expected watermark ${want} but the last batch ran with ${iso}`);
    });
  }

  /**
   * The previous action must have failed (or the query must fail while processing what is
   * available) with a message containing every given string.
   */
  expectError(contains: string | string[]): this {
    const parts = Array.isArray(contains) ? contains : [contains];
    return this.add(`ExpectError(${JSON.stringify(parts)})`, async (ctx) => {
      let err = ctx.pendingError;
      ctx.pendingError = null;
      if (!err && ctx.query) {
        try {
          await ctx.query.processAllAvailable();
        } catch (e) {
          err = e;
        }
      }
      if (!err) throw new StreamAssertionError(`expected an error containing ${JSON.stringify(parts)} but nothing failed`);
      const msg = err instanceof Error ? `${err.message} ${err.cause instanceof Error ? err.cause.message : ''}` : String(err);
      for (const p of parts) if (!msg.includes(p)) throw new StreamAssertionError(`expected an error containing "${p}" but got: ${msg}`);
    });
  }

  /** Runs the actions; rejects with the failing step and the steps before it. */
  async run(): Promise<void> {
    const ctx: RunState = { query: null, sink: null, seenBatch: -1, pendingError: null };
    const done: string[] = [];
    try {
      for (const [i, a] of this.actions.entries()) {
        const next = this.actions[i + 1];
        try {
          await a.run(ctx);
        } catch (e) {
          if (next && next.describe.startsWith('ExpectError') && !(e instanceof StreamAssertionError)) ctx.pendingError = e;
          else throw e;
        }
        done.push(a.describe);
      }
    } catch (e) {
      const story = [...done.map((d) => `  ${d}`), `=> ${this.actions[done.length]?.describe}`].join('\n');
      const msg = e instanceof Error ? e.message : String(e);
      throw new StreamAssertionError(`${msg}\n\nStream actions:\n${story}`);
    } finally {
      await ctx.query?.stop().catch(() => undefined);
    }
  }

  then<A = void, B = never>(onfulfilled?: ((value: void) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
    return this.run().then(onfulfilled, onrejected);
  }
}

/** Starts a scripted test of a streaming DataFrame (Spark's `testStream(df, outputMode)`). */
export function testStream(df: DataFrame, outputMode: 'append' | 'update' | 'complete' = 'append', options: TestStreamOptions = {}): TestStream {
  return new TestStream(df, outputMode, options);
}
