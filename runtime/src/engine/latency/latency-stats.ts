/**
 * Latency statistics as the Latency panel and the lessons show them: count, percentiles by the nearest
 * rank (p50 is the smallest sample at or above half of all samples), and a histogram on fixed
 * millisecond buckets (0, 1, 2, 5, 10, 20, 50 ms, ... 50 s, more).
 */

/** Upper bounds of the histogram buckets, ms; a last bucket holds everything above. */
export const LATENCY_BUCKETS_MS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];

/** Summary of a set of latencies (ms). */
export interface LatencyStats {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Counts per bucket of {@link LATENCY_BUCKETS_MS} (value ≤ bound), then one for values above the last. */
  readonly histogram: readonly number[];
}

/** The `p`-th percentile (0 < p ≤ 100) of sorted samples, by the nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The bucket index of a latency. */
export function bucketOf(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
  return i < 0 ? LATENCY_BUCKETS_MS.length : i;
}

/** Statistics of samples (ms); negative samples (clock skew) count as 0. */
export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = samples.map((x) => Math.max(0, x)).sort((a, b) => a - b);
  const histogram = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  for (const x of sorted) histogram[bucketOf(x)]!++;
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
    histogram,
  };
}
