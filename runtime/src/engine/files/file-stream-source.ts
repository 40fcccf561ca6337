/**
 * Spark's file source (`readStream.format("json" | "csv" | "text").load(dir)`), as FileStreamSource
 * does it:
 *
 *   schema      required for json and csv (Spark's error otherwise); text has `value STRING`
 *   new files   each trigger lists the path; files not seen before are taken oldest first
 *               (`latestFirst=true`: newest first), at most `maxFilesPerTrigger` of them
 *   seen once   the files taken are written to the source's log in the checkpoint
 *               (`sources/<n>/<logOffset>`, one `{"path","timestamp","batchId"}` line per file)
 *               before the batch runs, and the offset is `{"logOffset": n}`; a restarted query
 *               reads the log again, so a file is read in exactly one batch and never again, even
 *               when it changes
 *   output dir  a folder a file sink writes (with `_spark_metadata`) is read through that log
 */
import { AnalysisException, IllegalArgumentException } from '../errors.js';
import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import type { Offset, ReadLimit, Source, SourceContext, SourceProvider, SourceLog } from '../sources/source.js';
import type { AreaFile, FileArea } from './file-area.js';
import { childPath } from './file-area.js';
import { option, parseFile, TEXT_SCHEMA, type FileFormat } from './file-formats.js';

/** Spark's error for a path that is not there: a static read names it qualified (`file:/in`), a stream as given. */
export function pathNotFound(path: string, qualified: boolean): AnalysisException {
  return new AnalysisException(`[PATH_NOT_FOUND] Path does not exist: ${qualified && path.startsWith('/') ? `file:${path}` : path}.`, { code: 'PATH_NOT_FOUND' });
}

const isGlob = (path: string) => /[*?[{]/.test(path);

/** The files a file sink committed into `dir` (its `_spark_metadata` log), or null when it has none. */
export function committedFiles(area: FileArea, dir: string): AreaFile[] | null {
  const logDir = childPath(dir, '_spark_metadata');
  const names = area.names?.(logDir).filter((n) => /^\d+$/.test(n)) ?? [];
  if (names.length === 0) return null;
  const out: AreaFile[] = [];
  for (const n of names.map(Number).sort((a, b) => a - b)) {
    for (const line of area.read(childPath(logDir, String(n))).split('\n').slice(1)) {
      if (line.trim() === '') continue;
      const e = JSON.parse(line) as { path: string; size: number; modificationTime: number; action: string };
      if (e.action === 'add') out.push({ path: e.path.replace(/^file:\/\//, ''), size: e.size, modificationTime: e.modificationTime });
    }
  }
  return out;
}

/** The files under a path a file source reads: a sink's committed files, or what the area lists. */
export function inputFiles(area: FileArea, path: string): AreaFile[] | null {
  if (!isGlob(path)) {
    const committed = committedFiles(area, path);
    if (committed) return committed;
  }
  return area.list(path);
}

/** The path option of a file source, or Spark's error. */
function pathOf(options: Readonly<Record<string, string>>): string {
  const path = option(options, 'path');
  if (path === undefined || path === '') throw new IllegalArgumentException("'path' is not specified.", { code: 'PATH_NOT_SPECIFIED' });
  return path;
}

function positiveInt(options: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = option(options, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new IllegalArgumentException(`Invalid value '${raw}' for option '${name}', must be a positive integer`, { code: 'INVALID_OPTION' });
  return n;
}

interface LogEntry {
  path: string;
  timestamp: number;
  batchId: number;
}

const logOffset = (o: Offset): number => (o as { logOffset: number }).logOffset;

class FileStreamSource implements Source {
  readonly keepsSourceLog = true;
  private readonly seen = new Set<string>();
  private current = -1;
  private loaded = false;
  private readonly path: string;
  private readonly maxFiles: number | undefined;
  private readonly latestFirst: boolean;

  constructor(private readonly format: FileFormat, readonly schema: StructType, private readonly area: FileArea, private readonly ctx: SourceContext, private readonly log: SourceLog) {
    this.path = pathOf(ctx.options);
    this.maxFiles = positiveInt(ctx.options, 'maxFilesPerTrigger');
    this.latestFirst = option(ctx.options, 'latestFirst')?.toLowerCase() === 'true';
  }

  /** Reads the log once: every file it names has been seen. */
  private async load(): Promise<void> {
    if (this.loaded) return;
    const latest = await this.log.latest();
    for (let b = 0; latest !== null && b <= latest; b++) {
      for (const line of (await this.log.get(b)) ?? []) this.seen.add((JSON.parse(line) as LogEntry).path);
    }
    this.current = latest ?? -1;
    this.loaded = true;
  }

  async initialOffset(): Promise<Offset> {
    return { logOffset: -1 };
  }

  defaultReadLimit(): ReadLimit {
    return this.maxFiles === undefined ? { kind: 'allAvailable' } : { kind: 'maxRows', maxRows: this.maxFiles };
  }

  async latestOffset(_start: Offset, limit: ReadLimit): Promise<Offset> {
    await this.load();
    const listed = inputFiles(this.area, this.path) ?? [];
    const fresh = listed.filter((f) => !this.seen.has(`file://${f.path}`));
    // Oldest first (newest with latestFirst); files of the same time in name order.
    const order = fresh.map((f, i) => ({ f, i })).sort((a, b) => (this.latestFirst ? b.f.modificationTime - a.f.modificationTime : a.f.modificationTime - b.f.modificationTime) || a.i - b.i).map((x) => x.f);
    const max = limit.kind === 'maxRows' ? limit.maxRows : limit.kind === 'minRows' && limit.maxRows !== undefined ? limit.maxRows : Infinity;
    const taken = order.slice(0, max);
    if (taken.length > 0) {
      const batchId = this.current + 1;
      const entries = taken.map((f) => ({ path: `file://${f.path}`, timestamp: f.modificationTime, batchId }));
      await this.log.add(batchId, entries.map((e) => JSON.stringify(e)));
      for (const e of entries) this.seen.add(e.path);
      this.current = batchId;
    }
    return { logOffset: this.current };
  }

  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    const rows: Row[] = [];
    for (let b = logOffset(start) + 1; b <= logOffset(end); b++) {
      const lines = await this.log.get(b);
      if (lines === null) throw new IllegalArgumentException(`The file source's log has no entry ${b}: was the checkpoint's sources folder changed?`, { code: 'FILE_SOURCE_LOG_MISSING' });
      for (const line of lines) {
        const file = (JSON.parse(line) as LogEntry).path.replace(/^file:\/\//, '');
        let text: string;
        try {
          text = this.area.read(file);
        } catch {
          throw new IllegalArgumentException(`File ${file} does not exist. It is possible the underlying files have been updated or deleted after the query read the folder.`, { code: 'FILE_NOT_FOUND' });
        }
        rows.push(...parseFile(this.format, text, this.schema, this.ctx.options));
      }
    }
    return rows;
  }

  async commit(): Promise<void> {}
  async stop(): Promise<void> {}
}

/** The schema a streaming file source reads with, or Spark's error when there is none. */
function streamingSchema(format: FileFormat, userSchema: StructType | undefined, conf: Readonly<Record<string, string>> | undefined): StructType {
  if (format === 'text') return TEXT_SCHEMA;
  if (userSchema) return userSchema;
  if (conf?.['spark.sql.streaming.schemaInference'] === 'true') {
    throw new IllegalArgumentException(`Streamlab does not infer the schema of a streaming ${format} source; give it one with .schema("…").`, { code: 'UNSUPPORTED_SCHEMA_INFERENCE' });
  }
  throw new IllegalArgumentException("Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.", { code: 'STREAMING_SCHEMA_REQUIRED' });
}

/** The provider of `readStream.format(format)` over an area's files. */
export function fileStreamSourceProvider(format: FileFormat, area: FileArea): SourceProvider {
  return {
    sourceSchema(options, userSchema, conf) {
      const schema = streamingSchema(format, userSchema, conf);
      const path = pathOf(options);
      positiveInt(options, 'maxFilesPerTrigger');
      if (!isGlob(path) && !area.exists(path)) throw pathNotFound(path, false);
      return schema;
    },
    createSource(ctx) {
      if (!ctx.sourceLog) throw new Error('a file source needs its query checkpoint');
      return new FileStreamSource(format, streamingSchema(format, ctx.userSchema, ctx.conf), area, ctx, ctx.sourceLog);
    },
  };
}
