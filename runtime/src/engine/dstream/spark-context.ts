import { RDD } from './rdd.js';

/** Options for a local SparkContext. */
export interface SparkContextOptions {
  /** Application name (PySpark `appName`). */
  appName?: string;
  /** Master URL; only `local[N]` / `local[*]` / `local` are meaningful here. */
  master?: string;
  /** Partitions used when none are asked for; Spark's local mode uses the core count. */
  defaultParallelism?: number;
  /**
   * Spark configuration, read live (a SparkSession passes its runtime conf so that, for example,
   * `spark.sql.session.timeZone` also sets the zone pprint prints batch times in).
   */
  conf?: SparkConfReader | Record<string, string>;
}

/** Read access to Spark configuration values. */
export interface SparkConfReader {
  get(key: string, defaultValue?: string): string | undefined;
}

/**
 * The local SparkContext: the entry point for RDDs and the thing a StreamingContext is built on.
 * Everything runs in-process; "partitions" are kept so that `getNumPartitions`, `mapPartitions` and
 * `glom`-style teaching points behave as in Spark's local mode.
 */
export class SparkContext {
  /** Application name, as in PySpark. */
  readonly appName: string;
  /** Master URL, as in PySpark. */
  readonly master: string;
  /** Default number of partitions for `parallelize` and shuffles. */
  readonly defaultParallelism: number;
  private stopped = false;
  private readonly conf: SparkConfReader;

  constructor(options: SparkContextOptions = {}) {
    const conf = options.conf ?? {};
    this.conf = typeof conf.get === 'function' ? (conf as SparkConfReader) : recordConf(conf as Record<string, string>);
    this.appName = options.appName ?? 'streamlab';
    this.master = options.master ?? 'local[2]';
    this.defaultParallelism = options.defaultParallelism ?? parallelismOf(this.master);
  }

  /** The Spark configuration (PySpark `sc.getConf()`). */
  getConf(): SparkConfReader {
    return this.conf;
  }

  /** Whether `stop()` has been called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Distributes a local collection into an RDD of `numSlices` partitions, cut the way Spark's
   * `ParallelCollectionRDD.slice` cuts: partition i holds positions [i·n/k, (i+1)·n/k).
   */
  parallelize<T>(data: Iterable<T>, numSlices?: number): RDD<T> {
    const items = Array.from(data);
    const k = numSlices ?? this.defaultParallelism;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`Positive number of partitions required`);
    const parts: T[][] = [];
    for (let i = 0; i < k; i++) {
      const start = Math.floor((i * items.length) / k);
      const end = Math.floor(((i + 1) * items.length) / k);
      parts.push(items.slice(start, end));
    }
    return new RDD(this, parts);
  }

  /** An RDD with no elements and no partitions (Spark's `emptyRDD`). */
  emptyRDD<T>(): RDD<T> {
    return new RDD<T>(this, []);
  }

  /** Unions RDDs, keeping their partitions (Spark's `sc.union`). */
  union<T>(rdds: RDD<T>[]): RDD<T> {
    return new RDD(this, rdds.flatMap((r) => r.partitions()));
  }

  /** Stops the context; further jobs are not expected. */
  stop(): void {
    this.stopped = true;
  }
}

function recordConf(values: Record<string, string>): SparkConfReader {
  return { get: (key, defaultValue) => (Object.hasOwn(values, key) ? values[key] : defaultValue) };
}

function parallelismOf(master: string): number {
  const m = /^local\[(\d+)\]$/.exec(master);
  if (m) return Math.max(1, Number(m[1]));
  // `local` is one thread; `local[*]` is the core count, which we fix at 2 so results are reproducible.
  return master === 'local' ? 1 : 2;
}
