/**
 * The DStream program as data: one node per API call the program made (PySpark method names), with
 * its non-function arguments and the TypeScript source of its functions. Internal streams an
 * operation builds (reduceByKeyAndWindow's per-batch reduce, for instance) do not appear, so the
 * plan reads like the program and can be exported as the PySpark DStream program it mirrors.
 */

/** What a plan node is. */
export type DStreamPlanKind = 'input' | 'transformation' | 'output';

/** One API call. */
export interface DStreamPlanNode {
  /** Position in call order. */
  id: number;
  /** PySpark method name: `queueStream`, `createDirectStream`, `map`, `reduceByKeyAndWindow`, `pprint`, ... */
  op: string;
  kind: DStreamPlanKind;
  /** Plan ids of the streams the call was made on (and the other side of union/join). */
  inputs: number[];
  /** Non-function arguments; durations are in milliseconds (`windowMs`, `slideMs`). */
  args: Record<string, unknown>;
  /** Function arguments by parameter name, as TypeScript source text. */
  functions: Record<string, string>;
}

/** A StreamingContext's program. */
export interface DStreamPlan {
  batchDurationMs: number;
  checkpointDir: string | null;
  nodes: DStreamPlanNode[];
}
