import type { CheckpointStore } from './checkpoint-store.js';
import { IllegalStateException } from './errors.js';
import type { DStream } from './dstream.js';
import type { DStreamPlanKind, DStreamPlanNode } from './dstream-plan.js';
import type { RDD } from './rdd.js';
import type { SparkContext } from './spark-context.js';

/**
 * Whose semantics to follow where the JVM API and PySpark differ (reduceByKeyAndWindow's inverse
 * rule, `count()` of an empty batch, `updateStateByKey` when the parent has no RDD).
 */
export type DStreamSemantics = 'pyspark' | 'jvm';

/** A registered output operation: runs for every batch time at which its stream produces an RDD. */
export interface OutputOperation {
  stream: DStream<unknown>;
  run(timeMs: number, rdd: RDD<unknown>): void;
}

/** Life cycle of a StreamingContext, named like Spark's `StreamingContextState`. */
export type StreamingContextState = 'INITIALIZED' | 'ACTIVE' | 'STOPPED';

/**
 * What the streams of one StreamingContext share (Spark's `DStreamGraph`): the batch interval, the
 * zero time fixed at start, every stream and output operation in creation order, and the settings
 * the operations read.
 */
export class DStreamGraph {
  readonly streams: DStream<unknown>[] = [];
  readonly outputs: OutputOperation[] = [];
  state: StreamingContextState = 'INITIALIZED';
  /** Set at start: batch k runs at zeroTime + k·batch. */
  zeroTimeMs: number | null = null;
  /** First batch time of this run (after a restart, the batch after the checkpointed one). */
  startTimeMs: number | null = null;
  checkpointDir: string | null = null;
  /** The StreamingContext that owns this graph (typed loosely to keep the module graph acyclic). */
  owner: unknown = null;
  private nextId = 0;

  constructor(
    readonly sparkContext: SparkContext,
    readonly batchDurationMs: number,
    readonly semantics: DStreamSemantics,
    readonly timeZone: string,
    readonly stdout: (text: string) => void,
    readonly checkpointStore: CheckpointStore,
  ) {}

  /** The program's API calls, in order (see `dstream-plan.ts`). */
  readonly planNodes: DStreamPlanNode[] = [];
  private planDepth = 0;

  /**
   * Runs `build` (the body of a public operation) and records it as one plan node, unless it is
   * called from inside another operation. A stream result is tagged with the node's id.
   */
  record<R>(
    op: string,
    kind: DStreamPlanKind,
    inputs: { planId: number }[],
    args: Record<string, unknown>,
    functions: Record<string, unknown>,
    build: () => R,
  ): R {
    if (this.planDepth > 0) return build();
    this.planDepth++;
    let result: R;
    try {
      result = build();
    } finally {
      this.planDepth--;
    }
    const sources: Record<string, string> = {};
    for (const [name, f] of Object.entries(functions)) if (typeof f === 'function') sources[name] = f.toString();
    const node: DStreamPlanNode = { id: this.planNodes.length, op, kind, inputs: inputs.map((i) => i.planId), args, functions: sources };
    this.planNodes.push(node);
    if (typeof result === 'object' && result !== null && 'planId' in result) (result as { planId: number }).planId = node.id;
    return result;
  }

  /** Registers a new stream and returns its id; refuses once the context has started, as Spark does. */
  register(stream: DStream<unknown>): number {
    this.assertModifiable();
    this.streams.push(stream);
    return this.nextId++;
  }

  /** Registers an output operation. */
  addOutput(op: OutputOperation): void {
    this.assertModifiable();
    this.outputs.push(op);
  }

  private assertModifiable(): void {
    if (this.state === 'ACTIVE') {
      throw new IllegalStateException('Adding new inputs, transformations, and output operations after starting a context is not supported');
    }
    if (this.state === 'STOPPED') {
      throw new IllegalStateException('Adding new inputs, transformations, and output operations after stopping a context is not supported');
    }
  }
}
