/**
 * The queries of a run as the Timeline offers them: one picture per query, since two queries of one
 * run (lesson 03's console and report queries) number their batches alike and group their rows
 * differently. Batches are grouped by query id (unnamed queries differ only by it), in the order the
 * queries first wrote a batch; DStream batches and recordings without ids form one group.
 */
import type { BatchEvent } from '../model/server-events.js';

/** One query's batches, with the name the Timeline shows for it. */
export interface TimelineQuery {
  id: string;
  label: string;
  batches: BatchEvent[];
}

const SINKS: Record<string, string> = {
  'org.apache.spark.sql.execution.streaming.ConsoleTable$': 'console',
  MemorySink: 'memory',
  ForeachBatchSink: 'foreachBatch',
  ForeachSink: 'foreach',
};

/** What a sink description says to a learner: `console`, `kafka`, `foreachBatch`. */
export function sinkName(description: string | undefined): string {
  return description === undefined ? '' : (SINKS[description] ?? description);
}

/** The run's queries, each with its batches in arrival order. */
export function timelineQueries(batches: BatchEvent[]): TimelineQuery[] {
  const groups = new Map<string, BatchEvent[]>();
  for (const b of batches) {
    if (!b.trace) continue;
    const id = b.queryId ?? b.query ?? '';
    let list = groups.get(id);
    if (!list) groups.set(id, (list = []));
    list.push(b);
  }
  return [...groups].map(([id, list], i) => {
    const first = list[0]!;
    const sink = sinkName(first.sink);
    const name = first.query ?? `Query ${i + 1}`;
    return { id, label: sink ? `${name} → ${sink}` : name, batches: list };
  });
}
