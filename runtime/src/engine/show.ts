/**
 * Spark's `Dataset.showString` layout, used by `df.show()` and the console sink:
 * header/rows between `+---+` separators; with truncation (default 20) cells longer than 20
 * characters become 17 characters + `...` and cells are right-aligned, without truncation they are
 * left-aligned; column width is at least 3; CJK characters count double; more rows than `numRows`
 * add `only showing top N rows`.
 */
import type { Row } from './compile.js';
import type { StructType } from './types.js';
import { prettyString } from './values.js';

function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    // East Asian wide/fullwidth ranges count as two half-widths, as Spark's `stringHalfWidth` does.
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ? 2 : 1;
  }
  return w;
}

function pad(s: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return right ? fill + s : s + fill;
}

/** The text `show(numRows, truncate)` prints, ending with a newline. */
export function showString(schema: StructType, rows: readonly Row[], numRows = 20, truncate: boolean | number = true): string {
  const limit = truncate === true ? 20 : truncate === false ? 0 : truncate;
  const shown = rows.slice(0, Math.max(numRows, 0));
  const cut = (s: string): string => {
    if (limit > 0 && displayWidth(s) > limit) return limit < 4 ? s.slice(0, limit) : `${s.slice(0, limit - 3)}...`;
    return s;
  };
  const header = schema.fields.map((f) => cut(f.name));
  const cells = shown.map((r) => schema.fields.map((f, i) => cut(prettyString(r[i], f.dataType))));
  const widths = header.map((h, i) => Math.max(3, displayWidth(h), ...cells.map((row) => displayWidth(row[i]))));
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  const right = limit > 0;
  const line = (vals: string[]): string => `|${vals.map((v, i) => pad(v, widths[i], right)).join('|')}|\n`;
  let out = sep + line(header) + sep;
  for (const row of cells) out += line(row);
  out += sep;
  if (rows.length > numRows) out += `only showing top ${numRows} ${numRows === 1 ? 'row' : 'rows'}\n`;
  return out;
}
