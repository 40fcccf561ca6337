/**
 * `df.show()` and the console sink's table: each cell as Spark's pretty string (`prettyString`), laid
 * out by Spark's `showString` (runtime/src/format/show-string.ts).
 */
import { showString as layout } from '../format/show-string.js';
import type { Row } from './expressions/compile.js';
import type { StructType } from './types.js';
import type { Zone } from './time-zone.js';
import { prettyString } from './values.js';

/** The text `show(numRows, truncate)` prints, ending with a newline; timestamps in the session time zone `zone`. */
export function showString(schema: StructType, rows: readonly Row[], numRows = 20, truncate: boolean | number = true, zone?: Zone): string {
  const shown = rows.slice(0, Math.max(numRows, 0));
  const cells = shown.map((r) => schema.fields.map((f, i) => prettyString(r[i], f.dataType, zone)));
  return layout(schema.fieldNames(), cells, { numRows, truncate, totalRows: rows.length });
}
