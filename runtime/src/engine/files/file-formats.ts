/**
 * The text formats of Spark's file sources and sinks, one file at a time: `json` (JSON Lines),
 * `csv` and `text`. Reading follows Spark's PERMISSIVE mode (a value that does not parse is NULL, a
 * line that is not JSON is a row of NULLs); writing follows Spark's writers' defaults (JSON without
 * null fields, CSV without a header, timestamps as `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`).
 */
import { fieldConverter, parseCsvRecords } from '../csv-source.js';
import { IllegalArgumentException } from '../errors.js';
import type { Row } from '../expressions/compile.js';
import { formatWithPattern } from '../datetime-pattern.js';
import { fromJsonNode, jsonText } from '../functions/json.js';
import { parseFirstJsonValue } from '../json-path.js';
import { sessionZone, type Zone } from '../time-zone.js';
import { STRING, StructField, StructType, type DataType } from '../types.js';
import { toSparkString } from '../values.js';

/** The formats file sources read. */
export const FILE_SOURCE_FORMATS = ['json', 'csv', 'text'] as const;
/** The formats the file sink writes. */
export const FILE_SINK_FORMATS = ['json', 'csv', 'text'] as const;

export type FileFormat = (typeof FILE_SOURCE_FORMATS)[number];

/** The `text` format's one column. */
export const TEXT_SCHEMA = new StructType([new StructField('value', STRING, true)]);

/** An option by its name in any case, as Spark's options are case-insensitive. */
export function option(options: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function lines(text: string): string[] {
  const out = text.split(/\r\n|\r|\n/);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** The rows of one file's text. */
export function parseFile(format: FileFormat, text: string, schema: StructType, options: Readonly<Record<string, string>>, zone: Zone = sessionZone()): Row[] {
  switch (format) {
    case 'text':
      return lines(text).map((l) => [l]);
    case 'json': {
      const rows: Row[] = [];
      for (const line of lines(text)) {
        if (line.trim() === '') continue;
        const parsed = parseFirstJsonValue(line, { nonNumericNumbers: true });
        const state = { bad: false };
        const v = parsed === undefined || parsed.t !== 'obj' ? undefined : fromJsonNode(parsed, schema, state, zone);
        rows.push(v === undefined ? schema.fields.map(() => null) : (v as Row));
      }
      return rows;
    }
    case 'csv': {
      const sep = option(options, 'sep') ?? option(options, 'delimiter') ?? ',';
      const quote = option(options, 'quote') ?? '"';
      const escape = option(options, 'escape') ?? '\\';
      const nullValue = option(options, 'nullValue') ?? '';
      let records = parseCsvRecords(text, sep, quote, escape);
      if (option(options, 'header')?.toLowerCase() === 'true') records = records.slice(1);
      const converters = schema.fields.map((f) => fieldConverter(f.dataType));
      return records.map((rec) => converters.map((conv, i) => {
        if (i >= rec.fields.length) return null;
        const t = rec.fields[i];
        return t === nullValue ? null : conv(t);
      }));
    }
  }
}

const TS_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const NTZ_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS";

function csvValue(v: unknown, type: DataType, zone: Zone): string {
  if (type.kind === 'atomic' && type.name === 'timestamp') return formatWithPattern(v as number, TS_FORMAT, zone);
  if (type.kind === 'atomic' && type.name === 'timestamp_ntz') return formatWithPattern(v as number, NTZ_FORMAT);
  return toSparkString(v, type, zone);
}

/** A CSV field as Spark's writer quotes it: when it holds the separator, a quote or a line break, or is empty. */
function csvField(text: string, sep: string, quote: string, escape: string): string {
  if (text === '') return `${quote}${quote}`;
  if (!text.includes(sep) && !text.includes(quote) && !/[\r\n]/.test(text)) return text;
  return `${quote}${text.split(quote).join(`${escape}${quote}`)}${quote}`;
}

/** One file's text for `rows` (a line per row). */
export function formatFile(format: FileFormat, rows: readonly Row[], schema: StructType, options: Readonly<Record<string, string>>, zone: Zone = sessionZone()): string {
  switch (format) {
    case 'json':
      return rows.map((r) => `${jsonText(r, schema, zone)}\n`).join('');
    case 'text':
      if (schema.fields.length !== 1 || !(schema.fields[0].dataType.kind === 'atomic' && schema.fields[0].dataType.name === 'string')) {
        throw new IllegalArgumentException(`[_LEGACY_ERROR_TEMP_1300] Text data source supports only a single column, and you have ${schema.fields.length} columns.`, { code: 'TEXT_SINGLE_COLUMN' });
      }
      return rows.map((r) => `${r[0] === null ? '' : String(r[0])}\n`).join('');
    case 'csv': {
      const sep = option(options, 'sep') ?? option(options, 'delimiter') ?? ',';
      const quote = option(options, 'quote') ?? '"';
      const escape = option(options, 'escape') ?? '\\';
      const nullValue = option(options, 'nullValue') ?? '';
      const head = option(options, 'header')?.toLowerCase() === 'true' && rows.length > 0
        ? `${schema.fields.map((f) => csvField(f.name, sep, quote, escape)).join(sep)}\n` : '';
      return head + rows.map((r) => `${schema.fields.map((f, i) => (r[i] === null || r[i] === undefined ? nullValue : csvField(csvValue(r[i], f.dataType, zone), sep, quote, escape))).join(sep)}\n`).join('');
    }
  }
}
