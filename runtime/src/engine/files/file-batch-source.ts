/**
 * `spark.read.json(path)` and `spark.read.text(path)` over an area's files: a file, a folder (a file
 * sink's folder through its `_spark_metadata` log) or a glob. JSON without a schema gets Spark's
 * inferred one: every field of every line, in name order, numbers that are not all integers as
 * DOUBLE, integers as BIGINT, fields whose lines disagree otherwise as STRING.
 */
import type { BatchSourceProvider } from '../formats.js';
import { schemaOfJson } from '../json-path.js';
import { AnalysisException } from '../errors.js';
import type { Row } from '../expressions/compile.js';
import { DOUBLE, STRING, StructField, StructType, parseDataType, sameType, type DataType } from '../types.js';
import type { FileArea } from './file-area.js';
import { option, parseFile, TEXT_SCHEMA, type FileFormat } from './file-formats.js';
import { inputFiles, pathNotFound } from './file-stream-source.js';

const NUMERIC = new Set(['bigint', 'double']);

function merge(a: DataType, b: DataType): DataType {
  if (sameType(a, b)) return a;
  if (a.kind === 'atomic' && b.kind === 'atomic') {
    if (a.name === 'void') return b;
    if (b.name === 'void') return a;
    if (NUMERIC.has(a.name) && NUMERIC.has(b.name)) return DOUBLE;
  }
  if (a.kind === 'struct' && b.kind === 'struct') return mergeStructs([a, b]);
  return STRING;
}

function mergeStructs(structs: readonly StructType[]): StructType {
  const fields = new Map<string, DataType>();
  for (const s of structs) for (const f of s.fields) fields.set(f.name, fields.has(f.name) ? merge(fields.get(f.name)!, f.dataType) : f.dataType);
  return new StructType([...fields.keys()].sort().map((n) => new StructField(n, fields.get(n)!.kind === 'atomic' && (fields.get(n) as { name: string }).name === 'void' ? STRING : fields.get(n)!, true)));
}

/** The schema Spark infers for JSON Lines text. */
export function inferJsonSchema(texts: readonly string[]): StructType {
  const structs: StructType[] = [];
  for (const text of texts) {
    for (const line of text.split(/\r\n|\r|\n/)) {
      if (line.trim() === '') continue;
      const ddl = schemaOfJson(line);
      if (ddl === undefined || !ddl.startsWith('STRUCT<')) continue;
      const t = parseDataType(ddl);
      if (t.kind === 'struct') structs.push(t);
    }
  }
  const schema = mergeStructs(structs);
  if (schema.fields.length === 0) throw new AnalysisException('[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for JSON. It must be specified manually.', { code: 'UNABLE_TO_INFER_SCHEMA' });
  return schema;
}

/** `spark.read.format(format)` over an area's files. */
export function fileBatchSourceProvider(format: FileFormat, area: FileArea): BatchSourceProvider {
  return {
    read(options, userSchema) {
      const paths = (option(options, 'path') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
      const files = paths.flatMap((p) => {
        const listed = inputFiles(area, p);
        if (listed === null) throw pathNotFound(p, true);
        return listed;
      });
      const texts = files.map((f) => area.read(f.path));
      const schema = format === 'text' ? TEXT_SCHEMA : userSchema ?? inferJsonSchema(texts);
      const rows: Row[] = [];
      for (const t of texts) rows.push(...parseFile(format, t, schema, options));
      return { schema, rows };
    },
  };
}
