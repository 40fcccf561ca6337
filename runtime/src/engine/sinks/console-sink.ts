/**
 * The `console` sink, printing exactly what Spark's ConsoleWrite prints: a line of 43 dashes,
 * `Batch: N`, the dashes again, then `show(numRows, truncate)` followed by an empty line. Text goes
 * to an injected output function, never to the process directly.
 */
import { consoleBatch } from '../../format/show-string.js';
import { showString } from '../show.js';
import type { Zone } from '../time-zone.js';
import type { Sink, SinkBatch, SinkProvider } from './sink.js';

/** Receives text exactly as Spark would write it to stdout (newlines included). */
export type OutputFn = (text: string) => void;

/** Formats one batch the way the console sink prints it. */
export function consoleBatchText(batch: SinkBatch, numRows = 20, truncate: boolean | number = true, zone?: Zone): string {
  return consoleBatch(batch.batchId, showString(batch.schema, batch.rows, numRows, truncate, zone));
}

function optionValue(options: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = Object.keys(options).find((o) => o.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : options[k];
}

/** `format("console")`: each batch printed through the session's output function, as it is when the batch ends. */
export const consoleSinkProvider: SinkProvider = {
  description: 'org.apache.spark.sql.execution.streaming.ConsoleTable$',
  streamingOnly: true,
  createSink(ctx): Sink {
    const numRows = Number(optionValue(ctx.options, 'numRows') ?? '20');
    const t = optionValue(ctx.options, 'truncate');
    const truncate = t === undefined ? true : t.toLowerCase() === 'false' ? false : t.toLowerCase() === 'true' ? true : Number(t);
    return { addBatch: (batch) => ctx.session.outputFunction(consoleBatchText(batch, numRows, truncate, ctx.session.timeZone)) };
  },
};
