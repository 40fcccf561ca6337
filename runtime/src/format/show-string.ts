/**
 * Spark's `Dataset.showString` layout, which `df.show()` and the console sink print, from cells already
 * rendered as text:
 *
 *   +-----+-----+      a column is as wide as its widest cell, at least 3; East Asian wide characters
 *   | word|count|      count 2. With truncation (`truncate` > 0, default 20) a cell longer than it
 *   +-----+-----+      becomes its first truncate − 3 characters and `...`, and cells are right-aligned;
 *   |kafka|    2|      without, left-aligned. More rows than `numRows` add `only showing top N rows`.
 *   +-----+-----+
 *
 * The console sink wraps each batch's table in `consoleBatch`.
 */

/** Width of text in half-width cells, as Spark's `stringHalfWidth`: East Asian wide and full-width characters count 2. */
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

/** A cell as `show()` cuts it: longer than `truncate` characters (when > 0) becomes `truncate − 3` of them and `...`. */
export function truncateCell(text: string, truncate: number): string {
  if (truncate <= 0 || text.length <= truncate) return text;
  return truncate < 4 ? text.slice(0, truncate) : `${text.slice(0, truncate - 3)}...`;
}

/** How `show` was called. */
export interface ShowOptions {
  /** Rows shown; default 20. */
  numRows?: number;
  /** Cell width limit: Spark's `truncate=true` is 20 (the default), `false` is 0. */
  truncate?: boolean | number;
  /** Rows the data has, when more than the cells passed (for `only showing top N rows`). */
  totalRows?: number;
}

/** The truncation width of `show`'s `truncate` argument. */
export function truncateWidth(truncate: boolean | number | undefined): number {
  return truncate === undefined || truncate === true ? 20 : truncate === false ? 0 : truncate;
}

/**
 * The text `show(numRows, truncate)` prints, ending with a newline.
 * @param header the column names
 * @param rows each row's cells as text (Spark's pretty strings), uncut; only the first `numRows` are shown
 */
export function showString(header: readonly string[], rows: readonly (readonly string[])[], options: ShowOptions = {}): string {
  const numRows = Math.max(options.numRows ?? 20, 0);
  const truncate = truncateWidth(options.truncate);
  const cells = [header, ...rows.slice(0, numRows)].map((row) => row.map((cell) => truncateCell(cell, truncate)));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => displayWidth(row[i] ?? ''))));
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  const line = (row: readonly string[]) => `|${row.map((cell, i) => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - displayWidth(cell)));
    return truncate > 0 ? fill + cell : cell + fill;
  }).join('|')}|\n`;
  const [head = [], ...body] = cells;
  let out = sep + line(head) + sep + body.map(line).join('') + sep;
  if ((options.totalRows ?? rows.length) > numRows) out += `only showing top ${numRows} ${numRows === 1 ? 'row' : 'rows'}\n`;
  return out;
}

/** One batch as the console sink prints it: a rule, `Batch: N`, a rule, the table and a blank line. */
export function consoleBatch(batchId: number, table: string): string {
  const rule = '-'.repeat(43);
  return `${rule}\nBatch: ${batchId}\n${rule}\n${table}\n`;
}
