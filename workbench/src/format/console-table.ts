/**
 * The console sink's text, exactly as Spark prints it (ConsoleWrite + Dataset.showString), so what a
 * learner sees here is what `spark-submit` would print. Rules: ../shared/spec/spark-semantics.md §11.
 *
 *   -------------------------------------------   43 dashes
 *   Batch: N
 *   -------------------------------------------
 *   +-----+                                       show(numRows = 20, truncate = 20)
 *   |value|
 *   +-----+
 *   |    1|
 *   +-----+
 *   (blank line)
 */
import type { ResultTable } from '../model/server-events.js';
import { formatSparkValue, parseSparkType } from './spark-values.js';

/** Options of the console sink (`numRows`, `truncate`). `truncate: 0` means off. */
export interface ShowOptions {
  numRows?: number;
  /** Cell width limit; Spark's `truncate=true` is 20, `false` is 0. */
  truncate?: number;
}

/** Width of text in half-width display cells: East Asian wide and full-width characters count 2. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

function truncateCell(text: string, truncate: number): string {
  if (truncate <= 0 || text.length <= truncate) return text;
  return truncate < 4 ? text.slice(0, truncate) : `${text.slice(0, truncate - 3)}...`;
}

/** The cells of a table as `show()` renders them, header first, already truncated. */
export function showCells(table: ResultTable, options: ShowOptions = {}): string[][] {
  const numRows = options.numRows ?? 20;
  const truncate = options.truncate ?? 20;
  const types = table.schema.map((f) => parseSparkType(f.type));
  const header = table.schema.map((f) => truncateCell(f.name, truncate));
  const body = table.rows.slice(0, numRows).map((row) => types.map((t, i) => truncateCell(formatSparkValue(row[i], t), truncate)));
  return [header, ...body];
}

/** `Dataset.show(numRows, truncate)` text, ending in a newline. */
export function formatShow(table: ResultTable, options: ShowOptions = {}): string {
  const numRows = options.numRows ?? 20;
  const truncate = options.truncate ?? 20;
  const cells = showCells(table, options);
  const widths = table.schema.map((_, i) => Math.max(3, ...cells.map((row) => displayWidth(row[i]!))));
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  const line = (row: string[]) =>
    `|${row
      .map((cell, i) => {
        const padding = ' '.repeat(widths[i]! - displayWidth(cell));
        return truncate > 0 ? padding + cell : cell + padding;
      })
      .join('|')}|\n`;
  const [header = [], ...body] = cells;
  let out = sep + line(header) + sep + body.map(line).join('') + sep;
  const total = table.totalRows ?? table.rows.length;
  if (total > numRows) out += `only showing top ${numRows} ${numRows === 1 ? 'row' : 'rows'}\n`;
  return out;
}

/** One batch as the console sink prints it, including the trailing blank line. */
export function formatConsoleBatch(batchId: number, table: ResultTable, options: ShowOptions = {}): string {
  const rule = '-'.repeat(43);
  return `${rule}\nBatch: ${batchId}\n${rule}\n${formatShow(table, options)}\n`;
}
