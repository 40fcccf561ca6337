/**
 * The console sink's text for a batch the runtime sent, exactly as Spark prints it (ConsoleWrite +
 * Dataset.showString), so what a learner sees here is what `spark-submit` would print: the cells are
 * the wire values rendered by spark-values.ts, the layout is Spark's `showString` of
 * `@streamlab/runtime/format`, the same the engine's console sink uses.
 */
import { consoleBatch, showString, truncateCell, truncateWidth, type ShowOptions } from '@streamlab/runtime/format';
import type { ResultTable } from '../model/server-events.js';
import { formatSparkValue, parseSparkType } from './spark-values.js';

/** The rendered, uncut cells of the rows `show()` would print. */
function rowCells(table: ResultTable, numRows: number): string[][] {
  const types = table.schema.map((f) => parseSparkType(f.type));
  return table.rows.slice(0, numRows).map((row) => types.map((t, i) => formatSparkValue(row[i], t)));
}

/** The cells of a table as `show()` renders them, header first, already truncated. */
export function showCells(table: ResultTable, options: ShowOptions = {}): string[][] {
  const truncate = truncateWidth(options.truncate);
  const cells = [table.schema.map((f) => f.name), ...rowCells(table, options.numRows ?? 20)];
  return cells.map((row) => row.map((cell) => truncateCell(cell, truncate)));
}

/** `Dataset.show(numRows, truncate)` text, ending in a newline. */
export function formatShow(table: ResultTable, options: ShowOptions = {}): string {
  const header = table.schema.map((f) => f.name);
  return showString(header, rowCells(table, options.numRows ?? 20), { ...options, totalRows: table.totalRows ?? table.rows.length });
}

/** One batch as the console sink prints it, including the trailing blank line. */
export function formatConsoleBatch(batchId: number, table: ResultTable, options: ShowOptions = {}): string {
  return consoleBatch(batchId, formatShow(table, options));
}
