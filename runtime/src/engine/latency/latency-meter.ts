/**
 * `LatencyMeter`: measures, for every record read from Kafka, how long after it was produced it reached
 * the sink — per micro-batch query (when the sink had written its batch) and per flow (when the element
 * made from it reached the end of the stream: a sink or a Committer) — and each pipeline's start-up
 * time (from `LatencyMeter.start()`, or the moment given as `startedAtMs`, to its first record at the
 * sink). Times are the pipelines' clocks.
 *
 *   const meter = LatencyMeter.start(spark);
 *   ... start queries and flows, let them run ...
 *   meter.summary()   // { "locations (trigger 1 second)": { kind: "micro-batch", p50, p99, startupMs, ... }, ... }
 */
import { addStreamListener, type ActorSystem } from '../flow/actor-system.js';
import type { SparkSession } from '../structured/session.js';
import type { StreamingQuery, Trigger } from '../structured/streaming-query.js';
import { latencyStats, type LatencyStats } from './latency-stats.js';

/** One pipeline's measurements. */
export interface PipelineLatency extends LatencyStats {
  readonly kind: 'micro-batch' | 'flow';
  /** The query's trigger, in words (micro-batch only). */
  readonly trigger?: string;
  /** From the meter's start to the pipeline's first record at the sink, ms (null before that). */
  readonly startupMs: number | null;
}

/** What `summary()` returns: one entry per pipeline, by name. */
export type LatencySummary = Record<string, PipelineLatency>;

/** The trigger in words: `1 second`, `100 milliseconds`, `default`, `once`, `availableNow`. */
export function triggerText(t: Trigger): string {
  if (t.kind === 'processingTime' || t.kind === 'continuous') {
    const ms = t.intervalMs;
    if (ms > 0 && ms % 1000 === 0) return `${ms / 1000} second${ms === 1000 ? '' : 's'}`;
    return `${ms} milliseconds`;
  }
  return t.kind;
}

interface Track {
  kind: 'micro-batch' | 'flow';
  trigger?: string;
  samples: number[];
  startupMs: number | null;
}

/** Collects latencies of the queries of a session and of every flow. */
export class LatencyMeter {
  private readonly tracks = new Map<string, Track>();
  private readonly removers: (() => void)[] = [];
  private readonly startedAt: number;
  private queryCount = 0;

  private constructor(private readonly now: () => number, spark: SparkSession | undefined, startedAtMs: number | undefined) {
    this.startedAt = startedAtMs ?? now();
    if (spark) {
      const seen = new Set<StreamingQuery>();
      const listener = {
        onQueryStarted: (event: { id: string }) => {
          const query = spark.streams.get(event.id);
          if (!query || seen.has(query)) return;
          seen.add(query);
          const n = ++this.queryCount;
          const trigger = triggerText(query.triggerSettings);
          const name = `${query.name ?? `query ${n}`} (trigger ${trigger})`;
          this.removers.push(query.onBatch((result) => this.add(name, 'micro-batch', result.sinkLatencyMs, trigger)));
        },
      };
      spark.streams.addListener(listener);
      this.removers.push(() => spark.streams.removeListener(listener));
    }
    this.removers.push(addStreamListener({
      onRecordLatency: (system: ActorSystem, latencyMs: number) => this.add(`${system.name} (flow)`, 'flow', [latencyMs]),
    }));
  }

  /**
   * Starts measuring the queries of `spark` and every flow. Start-up times count from now, or from
   * `startedAtMs` (on the same clock) when the pipelines' start began earlier: a run's Run.
   */
  static start(spark?: SparkSession, options: { now?: () => number; startedAtMs?: number } = {}): LatencyMeter {
    const now = options.now ?? (spark ? () => spark.clock.now() : undefined);
    if (!now) throw new Error('LatencyMeter.start: pass the SparkSession (its clock times the measurements)');
    return new LatencyMeter(now, spark, options.startedAtMs);
  }

  private add(name: string, kind: Track['kind'], samples: readonly number[], trigger?: string): void {
    if (samples.length === 0) return;
    let t = this.tracks.get(name);
    if (!t) {
      t = { kind, ...(trigger ? { trigger } : {}), samples: [], startupMs: null };
      this.tracks.set(name, t);
    }
    t.startupMs ??= this.now() - this.startedAt;
    for (const s of samples) t.samples.push(s);
  }

  /** The latencies so far, per pipeline. */
  summary(): LatencySummary {
    const out: LatencySummary = {};
    for (const [name, t] of this.tracks) {
      out[name] = { kind: t.kind, ...(t.trigger ? { trigger: t.trigger } : {}), startupMs: t.startupMs, ...latencyStats(t.samples) };
    }
    return out;
  }

  /** Stops measuring. */
  stop(): void {
    for (const r of this.removers.splice(0)) r();
  }
}
