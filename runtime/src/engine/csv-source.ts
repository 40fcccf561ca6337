/**
 * `spark.read.csv(path, schema=..., header=True)`: Spark's CSV reader over files that a host hands
 * in (the engine does no I/O; `connectors/files` lists and reads a local folder). What Spark does,
 * and this does too:
 *
 *   path        a file, a folder (its files, hidden `_x` and `.x` ones left out) or a glob in the
 *               last part (`lake/dax/*.csv`); several paths separated by commas
 *   header      `true`: each file's first line is a header and is skipped (the user's schema names
 *               the columns; without one, the header does)
 *   schema      the user's schema types the columns; without one every column is a string, named
 *               `_c0, _c1, …` (or by the header)
 *   values      an empty field, quoted or not, is NULL (`nullValue` ""); text that does not parse
 *               as the column's type is NULL (PERMISSIVE); missing trailing fields are NULL, extra
 *               ones are dropped; `"…"` quotes a field, `\"` escapes a quote inside it
 *   order       files in name order, rows in file order (Spark promises no order; one local
 *               partition per file gives this one)
 */
import { AnalysisException } from './errors.js';
import type { BatchSourceProvider } from './formats.js';
import type { Row } from './expressions/compile.js';
import { isIntegral, STRING, StructField, StructType, type DataType } from './types.js';
import { caster } from './values.js';

/** The files a host can read: every file under a path (a file, a folder or a glob), with its text. */
export interface CsvFiles {
  /** Files of `path` in name order, or null when the path does not exist. */
  list(path: string): string[] | null;
  read(file: string): string;
}

/** Splits CSV text into records of fields; `quoted[i]` says whether field i was quoted. */
export function parseCsvRecords(text: string, sep = ',', quote = '"', escape = '\\'): { fields: string[]; quoted: boolean[] }[] {
  const out: { fields: string[]; quoted: boolean[] }[] = [];
  let fields: string[] = [];
  let quoted: boolean[] = [];
  let field = '';
  let isQuoted = false;
  let inQuotes = false;
  let any = false;
  const endField = () => {
    fields.push(field);
    quoted.push(isQuoted);
    field = '';
    isQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === escape && text[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote && text[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) {
        inQuotes = false;
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === quote && field === '') {
      inQuotes = true;
      isQuoted = true;
      any = true;
    } else if (ch === sep) {
      endField();
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (any || field !== '') {
        endField();
        out.push({ fields, quoted });
      }
      fields = [];
      quoted = [];
      any = false;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any || field !== '') {
    endField();
    out.push({ fields, quoted });
  }
  return out;
}

const INTEGRAL = /^[+-]?\d+$/;

/** Text to a value of `type` as Spark's CSV parser does, NULL where it does not parse. */
export function fieldConverter(type: DataType): (text: string) => unknown {
  if (type.kind === 'atomic' && type.name === 'string') return (s) => s;
  const cast = caster(STRING, type);
  if (isIntegral(type)) {
    return (s) => (INTEGRAL.test(s) ? cast(s) : null);
  }
  return (s) => cast(s);
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.toLowerCase() === 'true';
}

/** The CSV format for `spark.read`, over the files a host can read. */
export function csvSourceProvider(files: CsvFiles): BatchSourceProvider {
  return {
    read(options, userSchema) {
      const paths = (options.path ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
      if (paths.length === 0) throw new AnalysisException('[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for CSV. It must be specified manually.', { code: 'UNABLE_TO_INFER_SCHEMA' });
      const all: string[] = [];
      for (const p of paths) {
        const listed = files.list(p);
        if (listed === null) throw new AnalysisException(`[PATH_NOT_FOUND] Path does not exist: ${p.startsWith('/') ? `file:${p}` : p}.`, { code: 'PATH_NOT_FOUND' });
        all.push(...listed);
      }
      const header = isTrue(options.header);
      const sep = options.sep ?? options.delimiter ?? ',';
      const quote = options.quote ?? '"';
      const escape = options.escape ?? '\\';
      const nullValue = options.nullValue ?? '';
      const records = all.map((f) => {
        const rs = parseCsvRecords(files.read(f), sep, quote, escape);
        return header ? { head: rs[0]?.fields ?? null, rows: rs.slice(1) } : { head: null, rows: rs };
      });
      let schema = userSchema;
      if (!schema) {
        // Spark takes the columns from the first line it reads.
        const firstHead = records.find((r) => r.head)?.head ?? null;
        const width = firstHead?.length ?? records.find((r) => r.rows.length > 0)?.rows[0]!.fields.length ?? 0;
        if (width === 0) throw new AnalysisException('[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for CSV. It must be specified manually.', { code: 'UNABLE_TO_INFER_SCHEMA' });
        schema = new StructType(Array.from({ length: width }, (_, i) => new StructField(firstHead?.[i] ?? `_c${i}`, STRING, true)));
      }
      const converters = schema.fields.map((f) => fieldConverter(f.dataType));
      const rows: Row[] = [];
      for (const r of records) {
        for (const rec of r.rows) {
          rows.push(converters.map((conv, i) => {
            if (i >= rec.fields.length) return null;
            const text = rec.fields[i];
            // Quoted or not, a field equal to nullValue (by default the empty one) is NULL.
            return text === nullValue ? null : conv(text);
          }));
        }
      }
      return { schema, rows };
    },
  };
}
