/**
 * The explain traces of the protocol (`structuredBatchTrace`, `dstreamBatchTrace`) turned into what the
 * timeline draws.
 *
 * The structured trace gives per input row its key, window, outcome and reason, and the emitted rows as
 * rendered cells. Emitted rows are tied back to a (key, window) by finding the window cell
 * (`{start, end}` as `show()` prints it) and the key cells among the row's values; the remaining cells
 * are the aggregate, which becomes the window's running value.
 *
 * A query that writes its aggregate on as a Kafka record (`key`, `value` = to_json(struct(window, key,
 * …))) has no window cell: the window and key are read from the JSON value's fields, and failing that,
 * in append mode, from the evictions the batch wrote (the engine writes one row per emitted eviction,
 * in eviction order).
 */
import type { DStreamBatchTrace, StructuredBatchTrace } from '@streamlab/runtime/protocol';
import type { DStreamTrace, StructuredTrace, TraceEmitted, TraceInput, WindowSpan } from '../model/server-events.js';

const WINDOW_CELL = /^\{(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?), (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)\}$/;

/** Parses Spark's `yyyy-MM-dd HH:mm:ss[.f]` (UTC) to epoch ms. */
function parseSparkTime(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/** The window a rendered `{start, end}` cell names, or null. */
export function parseWindowCell(cell: string): WindowSpan | null {
  const m = WINDOW_CELL.exec(cell);
  return m ? { startMs: parseSparkTime(m[1]!), endMs: parseSparkTime(m[2]!) } : null;
}

const keyText = (key: readonly string[] | undefined) => (key ?? []).join(', ');

/** A cell holding a JSON object (`to_json(struct(…))`): its top-level fields, else null. */
function jsonFields(cell: string): Record<string, unknown> | null {
  if (!cell.startsWith('{') || !cell.endsWith('}')) return null;
  try {
    const v: unknown = JSON.parse(cell);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A `{"start": …, "end": …}` field of a JSON value (to_json writes timestamps as ISO text). */
function jsonWindow(value: unknown): WindowSpan | null {
  if (!value || typeof value !== 'object') return null;
  const { start, end } = value as { start?: unknown; end?: unknown };
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  const startMs = Date.parse(start);
  const endMs = Date.parse(end);
  return Number.isFinite(startMs) && Number.isFinite(endMs) ? { startMs, endMs } : null;
}

/** Adapts one structured micro-batch trace. */
export function adaptStructuredTrace(t: StructuredBatchTrace): StructuredTrace {
  const inputs: TraceInput[] = t.input.sample.map((r) => ({
    eventTimeMs: r.eventTimeMs,
    key: keyText(r.key),
    windows: r.window ? [{ startMs: r.window.startMs, endMs: r.window.endMs }] : [],
    status: r.outcome === 'late' ? 'dropped' : 'updated',
    reason: r.reason ? `Dropped as late: ${r.reason}.` : undefined,
    preview: r.values.join(', '),
  }));
  const knownKeys = [...new Map(t.input.sample.filter((r) => r.key).map((r) => [keyText(r.key), r.key!])).values()];
  // A row whose key this batch did not read (complete mode writes every group) takes its key from the
  // cells where the batch's other rows had theirs.
  let keyPositions: number[] | null = null;
  // Append mode writes the evicted windows marked emitted, one row each, in this order.
  const emittedEvictions = t.evicted.sample.filter((e) => e.emitted);
  const emitted: TraceEmitted[] = t.emitted.sample.map((cells, row) => {
    let window: WindowSpan | null = null;
    let windowIndex = -1;
    cells.forEach((c, i) => {
      const w = window ? null : parseWindowCell(c);
      if (w) {
        window = w;
        windowIndex = i;
      }
    });
    // The fields of a JSON value stand in for cells: its window, and the key among its values.
    const json = cells.map(jsonFields);
    const fromJson = json.flatMap((fields) => Object.entries(fields ?? {}).flatMap(([, v]) => (typeof v === 'object' && v !== null ? [] : [String(v)])));
    if (!window) window = json.map((f) => jsonWindow(f?.window)).find((w) => w !== null) ?? null;
    const evicted = t.emitted.sample.length === emittedEvictions.length ? emittedEvictions[row] : undefined;
    if (!window && evicted?.window) window = { startMs: evicted.window.startMs, endMs: evicted.window.endMs };
    const rest = cells.map((c, i) => ({ c, i })).filter((x) => x.i !== windowIndex);
    const seen = [...rest.map((x) => x.c), ...fromJson];
    // The key is the known key tuple whose parts all appear among the other cells (longest first).
    let key = [...knownKeys].sort((a, b) => b.length - a.length).find((k) => k.every((part) => seen.includes(part)));
    if (!key && evicted?.key.length) key = evicted.key;
    const keyCells = new Set<number>();
    for (const part of key ?? []) {
      const hit = rest.find((x) => x.c === part && !keyCells.has(x.i));
      if (hit) keyCells.add(hit.i);
    }
    if (key && key.length && keyCells.size === key.length) keyPositions ??= [...keyCells].sort((a, b) => a - b);
    return { cells, rest, key, keyCells, window: window as WindowSpan | null };
  }).map(({ cells, rest, key, keyCells, window }) => {
    if (!key && keyPositions?.length) {
      key = keyPositions.map((i) => cells[i]!);
      for (const i of keyPositions) keyCells.add(i);
    }
    // A JSON value shows its own fields, less the window and the key the picture already shows.
    const parts = key ?? [];
    const values = rest
      .filter((x) => !keyCells.has(x.i))
      .map((x) => {
        const fields = jsonFields(x.c);
        if (!fields) return `${t.columns[x.i] ?? `col${x.i}`}=${x.c}`;
        return Object.entries(fields)
          .filter(([name, v]) => !(name === 'window' && jsonWindow(v)) && !parts.includes(String(v)))
          .map(([name, v]) => `${name}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
          .join(', ');
      })
      .join(', ');
    return { key: keyText(key), window, values };
  });
  return {
    kind: 'structured',
    batchId: t.batchId,
    // Lateness is judged by the late threshold (Spark 3.5: the previous batch's watermark); 0 is "none yet".
    watermarkBeforeMs: t.watermark?.lateThresholdMs ?? 0,
    watermarkAfterMs: t.watermark?.afterMs ?? 0,
    inputs,
    // The trace carries no per-window state snapshot; the emitted values are the running aggregates.
    state: emitted.filter((e) => e.window).map((e) => ({ key: e.key, window: e.window, aggregate: e.values })),
    emitted,
    evicted: t.evicted.sample.map((e) => ({ key: keyText(e.key), window: e.window ?? null, aggregate: '' })),
    malformed: { total: t.malformed.total, sample: [...t.malformed.sample] },
    hasWatermark: t.watermark !== null,
  };
}

/**
 * Adapts one DStream batch trace; `batchId` comes from the event (DStream batches are named by time).
 * Each record sits in the lane of its key (a Kafka record's key), or of its input when it has none.
 * Input streams with the same name read the same topics (a job that calls `createDirectStream` once per
 * output): the batch received those records once, so they are drawn once, from the stream that
 * handed out the most.
 */
export function adaptDStreamTrace(t: DStreamBatchTrace, batchId: number): DStreamTrace {
  const byName = new Map<string, DStreamBatchTrace['inputs'][number]>();
  for (const input of t.inputs) {
    const seen = byName.get(input.name);
    if (!seen || input.records > seen.records) byName.set(input.name, input);
  }
  const inputs = [...byName.values()];
  const records = inputs.flatMap((input) => input.sample
    ? input.sample.map((r) => ({ key: r.key ?? input.name, arrivalMs: t.batchTimeMs, preview: r.preview }))
    : Array.from({ length: input.records }, () => ({ key: input.name, arrivalMs: t.batchTimeMs })));
  const emitted = t.windows.find((w) => w.emitted)?.emitted;
  return {
    kind: 'dstream',
    batchId,
    batchTimeMs: t.batchTimeMs,
    batchIntervalMs: t.batchTimeMs - t.intervalStartMs,
    records,
    recordCount: inputs.reduce((n, input) => n + input.records, 0),
    window: emitted ? { startMs: emitted.startMs, endMs: emitted.endMs } : undefined,
    output: [],
  };
}
