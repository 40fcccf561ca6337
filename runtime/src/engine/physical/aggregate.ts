import { copyBuffers, type AggregateFn } from '../expressions/aggregates.js';
import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { encodeKey, prettyString } from '../values.js';
import { forEachRow, type BatchContext, type EvictingOperator, type PhysicalOperator, type StateDeclaration } from './operator.js';

/** A group's state: its key values and one buffer per aggregate function. */
export interface AggregateState {
  key: unknown[];
  bufs: unknown[];
}

/** A distinct grouping key within one batch: its text, whether its rows are late, and its group once touched. */
interface Slot {
  readonly k: string;
  /** The group was in state before this batch (a write replaces it). */
  live: boolean;
  readonly late: boolean;
  /** The key's event-time bound (microseconds), for the trace of a late row. */
  readonly t: number;
  g: AggregateState | null;
}

/** Which grouping key carries event time, for late-row dropping and eviction. */
export interface EventTimeKey {
  /** Index among the grouping keys. */
  readonly index: number;
  /** The key is a window struct (compare its end) rather than a raw timestamp. */
  readonly isWindow: boolean;
}

/**
 * The window grouping key as the trace shows it, with or without a watermark: its index among the
 * keys, and the event time (microseconds) a row's window was computed from.
 */
export interface TraceWindowKey {
  readonly index: number;
  readonly time: (row: Row) => unknown;
}

/**
 * A tumbling window grouping key kept compactly as its start (microseconds) instead of a
 * `[start, end]` struct; rows whose time is NULL get no window and are skipped, as Spark drops them.
 */
export interface CompactWindowKey {
  readonly index: number;
  readonly windowUs: number;
}

/**
 * Hash aggregation. On a stream it is Spark's StateStoreRestore/Save pair: this batch's rows are
 * folded into the group buffers kept in the versioned state store, then the output mode decides what
 * is written: complete → every group; update → groups changed in this batch; append → groups the
 * watermark has just finalised. With a watermark on a grouping key (window end or raw event time),
 * rows of groups at or below the late threshold are dropped, and `onWatermark` removes the groups at
 * or below the eviction watermark from state.
 */
export class AggregateExec implements EvictingOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly schema: StructType,
    private readonly child: PhysicalOperator,
    private readonly keyFns: readonly ((row: Row) => unknown)[],
    private readonly keyTypes: StructType,
    private readonly aggs: readonly AggregateFn[],
    /** Computes the output row from `[...key, ...aggregate values]`. */
    private readonly resultFn: (keysAndAggs: Row) => Row,
    readonly state: StateDeclaration,
    private readonly eventTime: EventTimeKey | null,
    /** Index of the event-time column in the input rows, for the trace. */
    private readonly inputTimeIndex: number,
    private readonly compact: CompactWindowKey | null = null,
    /** The window key for the trace, known without a watermark too. */
    private readonly traceWindow: TraceWindowKey | null = null,
  ) {
    this.children = [child];
    this.encode = keyEncoder(keyTypes, compact);
    this.texts1 = keyFns.length === 1 ? new Map() : null;
    this.texts2 = keyFns.length === 2 ? new Map() : null;
  }

  /**
   * The text of each key of one or two primitive parts (a window and a column, most often), by value,
   * kept from batch to batch: a batch then finds a group with the very string the state store holds
   * it under, which the store's maps match by identity, where a newly built string had to be
   * flattened, hashed and compared, most of the cost of a group a batch touched. A text goes with
   * its group when the watermark evicts it, and at the end of a batch whose rows of it were late.
   */
  private readonly texts1: Map<unknown, string> | null;
  private readonly texts2: Map<unknown, Map<unknown, string>> | null;

  private textOf(key: unknown[]): string {
    const k0 = key[0];
    if (this.texts1) {
      let k = this.texts1.get(k0);
      if (k === undefined) this.texts1.set(k0, (k = this.encode(key)));
      return k;
    }
    let inner = this.texts2!.get(k0);
    if (!inner) this.texts2!.set(k0, (inner = new Map()));
    let k = inner.get(key[1]);
    if (k === undefined) inner.set(key[1], (k = this.encode(key)));
    return k;
  }

  private forgetText(key: unknown[]): void {
    const k0 = key[0];
    if (k0 !== null && typeof k0 === 'object') return;
    if (this.texts1) this.texts1.delete(k0);
    else if (this.texts2) {
      const inner = this.texts2.get(k0);
      if (inner && inner.delete(key[1]) && inner.size === 0) this.texts2.delete(k0);
    }
  }

  /** Encodes grouping keys for hash maps (specialised by key types at construction). */
  private readonly encode: (key: unknown[]) => string;

  /** Eviction watermark of the last full eviction scan (per run: a restarted query scans again). */
  private lastEvictionUs = -Infinity;

  /** Whether the batch being run touched a group at or below its eviction watermark (so `onWatermark` scans). */
  private touchedBehindWatermark = false;

  /**
   * No group in state has an event-time bound (microseconds) below this, as of state version
   * `minTimeVersion`: an eviction watermark below it removes nothing, so `onWatermark` skips its scan
   * over all state. A full scan sets it exactly; groups written since can only lower it; any other
   * version (a restart, a batch that did not commit) makes it unknown again.
   */
  private minTimeUs = -Infinity;
  private minTimeVersion = -1;

  /** A key as the output (and the trace) sees it: compact windows become `[start, end]`. */
  private outputKey(key: unknown[]): unknown[] {
    const c = this.compact;
    const out = key.slice();
    if (!c) return out;
    const s = key[c.index] as number;
    out[c.index] = [s, s + c.windowUs];
    return out;
  }

  describe(): string {
    return `HashAggregate(keys=[${this.keyTypes.fieldNames().join(', ')}], functions=[${this.aggs.map((a) => a.name).join(', ')}])`;
  }

  /** The event-time bound of a key, in microseconds (window end or the raw time). */
  private timeOf(key: unknown[]): number | null {
    const et = this.eventTime!;
    const v = key[et.index];
    if (v === null) return null;
    if (this.compact && this.compact.index === et.index) return (v as number) + this.compact.windowUs;
    return et.isWindow ? ((v as unknown[])[1] as number) : (v as number);
  }

  private emit(entry: AggregateState): Row {
    const aggs = this.aggs;
    const r = this.outputKey(entry.key);
    for (let i = 0; i < aggs.length; i++) r.push(aggs[i].evaluate(entry.bufs[i]));
    return this.resultFn(r);
  }

  execute(ctx: BatchContext): Row[] {
    const keyFns = this.keyFns;
    const nk = keyFns.length;
    const aggs = this.aggs;
    const na = aggs.length;
    const compactIndex = this.compact ? this.compact.index : -1;
    if (ctx.execution === 'batch') {
      const groups = new Map<string, AggregateState>();
      forEachRow(this.child, ctx, (row) => {
        const key = new Array(nk);
        for (let i = 0; i < nk; i++) key[i] = keyFns[i](row);
        if (compactIndex >= 0 && key[compactIndex] === null) return;
        const k = this.encode(key);
        let g = groups.get(k);
        if (!g) {
          g = { key, bufs: aggs.map((a) => a.create()) };
          groups.set(k, g);
        }
        for (let i = 0; i < na; i++) g.bufs[i] = aggs[i].update(g.bufs[i], row);
      }, true);
      if (groups.size === 0 && nk === 0) groups.set('', { key: [], bufs: aggs.map((a) => a.create()) });
      return [...groups.values()].map((g) => this.emit(g));
    }
    const store = ctx.stateStore<AggregateState>(this.state.id);
    const watermarked = this.eventTime !== null && ctx.hasWatermark && ctx.outputMode !== 'complete';
    const lateUs = ctx.lateWatermarkMs * 1000;
    const evictUs = ctx.evictionWatermarkMs * 1000;
    const lateKeys = new Set<string>();
    const trace = ctx.trace;
    const inSchema = this.child.schema;
    const scratch = new Array(nk);
    const encode = this.encode;
    const etIndex = this.eventTime ? this.eventTime.index : -1;
    const etCompact = this.compact !== null && this.compact.index === etIndex;
    const etCompactUs = this.compact ? this.compact.windowUs : 0;
    // Eviction scans all state, so it runs only when the watermark moved or this batch touched a group behind it.
    let touchedBehindWatermark = false;
    // A batch looks a group up once per distinct key, not once per row: keys of one or two parts
    // (a window and a column, most often) are found by value through Maps, since building and hashing
    // the key's text was the aggregate's main cost; the slot found remembers the group's text, whether
    // it is late (which depends on the key alone) and the group being folded.
    const byValue1 = nk === 1 ? new Map<unknown, Slot>() : null;
    const byValue2 = nk === 2 ? new Map<unknown, Map<unknown, Slot>>() : null;
    // Keys met late in this batch whose texts are kept, to forget afterwards.
    const lateKeyValues: unknown[][] = [];
    // Other keys, and values that are objects (a window struct, an array), by their text, for this batch.
    const byText = new Map<string, Slot>();
    // The groups this batch changed, in the order first touched.
    const touched: Slot[] = [];
    // Rows mostly share the window of the row before: its inner map is kept at hand.
    let lastK0: unknown = undefined;
    let lastInner: Map<unknown, Slot> | undefined;
    // What the state's lowest event time is known to be (see minTimeUs): carried over from the
    // version this batch starts from, lowered by the groups it writes; only a watermarked query uses it.
    let minTimeUs = watermarked && this.minTimeVersion === store.version ? this.minTimeUs : -Infinity;
    // The first time a batch meets a key: whether its rows are late, and no group touched yet.
    const newSlot = (key: unknown[], k: string, kept: boolean): Slot => {
      if (!watermarked) return { k, live: false, late: false, t: 0, g: null };
      const t = etCompact ? (key[etIndex] as number) + etCompactUs : this.timeOf(key);
      if (t !== null && t <= evictUs) touchedBehindWatermark = true;
      const late = t !== null && t <= lateUs;
      if (late) {
        lateKeys.add(k);
        if (kept) lateKeyValues.push(key.slice());
      } else if (t !== null && t < minTimeUs) minTimeUs = t;
      return { k, live: false, late, t: t ?? 0, g: null };
    };
    const update1 = na === 1 ? aggs[0].update : null;
    // Rows are folded as the child produces them (see PhysicalOperator.forEachRow); aggregate
    // functions and the trace keep values, never the row array.
    forEachRow(this.child, ctx, (row) => {
      for (let i = 0; i < nk; i++) scratch[i] = keyFns[i](row);
      if (compactIndex >= 0 && scratch[compactIndex] === null) return;
      const key = scratch;
      let slot: Slot | undefined;
      const k0 = key[0];
      const primitive = k0 === null || typeof k0 !== 'object';
      if (byValue2 && primitive && (key[1] === null || typeof key[1] !== 'object')) {
        let inner = lastInner;
        if (k0 !== lastK0 || inner === undefined) {
          inner = byValue2.get(k0);
          if (!inner) byValue2.set(k0, (inner = new Map()));
          lastK0 = k0;
          lastInner = inner;
        }
        slot = inner.get(key[1]);
        if (slot === undefined) inner.set(key[1], (slot = newSlot(key, this.textOf(key), true)));
      } else if (byValue1 && primitive) {
        slot = byValue1.get(k0);
        if (slot === undefined) byValue1.set(k0, (slot = newSlot(key, this.textOf(key), true)));
      } else {
        const k = encode(key);
        slot = byText.get(k);
        if (slot === undefined) byText.set(k, (slot = newSlot(key, k, false)));
      }
      if (slot.late) {
        trace.droppedLate++;
        if (trace.wantsRow) trace.addRow(this.rowTrace(row, key, inSchema, 'late', `${this.eventTime!.isWindow ? 'window end' : 'event time'} ${Math.floor(slot.t / 1000)} <= watermark ${ctx.lateWatermarkMs}`));
        return;
      }
      let g = slot.g;
      if (g === null) {
        const old = store.get(slot.k);
        g = old ? { key: old.key, bufs: copyBuffers(old.bufs) } : { key: key.slice(), bufs: aggs.map((a) => a.create()) };
        slot.live = old !== undefined;
        slot.g = g;
        touched.push(slot);
      }
      const bufs = g.bufs;
      if (update1) bufs[0] = update1(bufs[0], row);
      else for (let i = 0; i < na; i++) bufs[i] = aggs[i].update(bufs[i], row);
      if (trace.wantsRow) trace.addRow(this.rowTrace(row, key, inSchema, 'updated'));
    }, true);
    // A global aggregation (no keys) aggregates every batch it runs in, even one without rows (an
    // empty data batch or a no-data batch): its one group counts as updated and update mode writes it
    // again, as Spark's aggregation without grouping always yields its row.
    if (nk === 0 && touched.length === 0) {
      const k = encode([]);
      const old = store.get(k);
      const g = old ? { key: old.key, bufs: copyBuffers(old.bufs) } : { key: [], bufs: aggs.map((a) => a.create()) };
      touched.push({ k, live: old !== undefined, late: false, t: 0, g });
    }
    for (const key of lateKeyValues) this.forgetText(key);
    for (let i = 0; i < touched.length; i++) {
      const s = touched[i];
      store.put(s.k, s.g!, s.live);
    }
    if (watermarked) {
      // The version this batch commits holds what was there and what it wrote.
      this.minTimeUs = minTimeUs;
      this.minTimeVersion = store.version + 1;
    }
    const out: Row[] = [];
    let removed = 0;
    if (ctx.outputMode === 'complete') {
      for (const [, g] of store.entries()) out.push(this.emit(g));
    } else {
      if (ctx.outputMode === 'update') for (let i = 0; i < touched.length; i++) out.push(this.emit(touched[i].g!));
      if (watermarked) {
        this.touchedBehindWatermark = touchedBehindWatermark;
        removed = this.onWatermark(ctx, (row) => out.push(row));
      } else if (ctx.outputMode === 'append') {
        // Unreachable after analysis (append needs a watermark); kept so no rows are silently lost.
        for (let i = 0; i < touched.length; i++) out.push(this.emit(touched[i].g!));
      }
    }
    ctx.stateMetrics.set(this.state.id, {
      operatorName: 'stateStoreSave',
      numRowsTotal: store.size,
      numRowsUpdated: touched.length,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: lateKeys.size,
      memoryUsedBytes: estimateBytes(store.size, nk + na),
    });
    return out;
  }

  /**
   * Removes the groups whose event time (window end or raw time) is at or below the eviction
   * watermark; append mode writes each as it goes. The scan over all state runs only when the
   * watermark moved since the last one or this batch touched a group behind it, and some group in
   * state may be at or below it.
   */
  onWatermark(ctx: BatchContext, emit: (row: Row) => void): number {
    const store = ctx.stateStore<AggregateState>(this.state.id);
    const evictUs = ctx.evictionWatermarkMs * 1000;
    // What execute knew of the lowest event time in the version this batch writes.
    const known = this.minTimeVersion === store.version + 1;
    const scan = (evictUs > this.lastEvictionUs || this.touchedBehindWatermark) && !(known && evictUs < this.minTimeUs);
    this.lastEvictionUs = evictUs;
    this.touchedBehindWatermark = false;
    if (!scan) return 0;
    const trace = ctx.trace;
    const emitted = ctx.outputMode === 'append';
    let removed = 0;
    let minTimeUs = Infinity;
    store.forEach((g, k) => {
      const t = this.timeOf(g.key);
      if (t !== null && t <= evictUs) {
        store.remove(k);
        this.forgetText(g.key);
        removed++;
        if (emitted) emit(this.emit(g));
        if (trace.wantsEviction) trace.addEviction({ key: this.keyStrings(g.key), window: this.windowOf(g.key), emitted });
        else trace.evictedTotal++;
      } else if (t !== null && t < minTimeUs) minTimeUs = t;
    });
    this.minTimeUs = minTimeUs;
    this.minTimeVersion = store.version + 1;
    return removed;
  }

  /** Index of the window among the grouping keys, watermark or not; -1 without one. */
  private windowIndex(): number {
    if (this.eventTime?.isWindow) return this.eventTime.index;
    return this.traceWindow?.index ?? -1;
  }

  private windowOf(key: unknown[]): { startMs: number; endMs: number } | undefined {
    const index = this.windowIndex();
    if (index < 0) return undefined;
    const w = this.outputKey(key)[index] as number[] | null;
    return w ? { startMs: Math.floor(w[0] / 1000), endMs: Math.floor(w[1] / 1000) } : undefined;
  }

  private keyStrings(key: unknown[]): string[] {
    const out: string[] = [];
    const windowIndex = this.windowIndex();
    this.outputKey(key).forEach((v, i) => {
      if (i === windowIndex) return;
      out.push(prettyString(v, this.keyTypes.fields[i].dataType));
    });
    return out;
  }

  private rowTrace(row: Row, key: unknown[], inSchema: StructType, outcome: 'updated' | 'late', reason?: string) {
    // The watermarked column, else the time the row's window came from (no watermark: still drawable).
    const t = this.inputTimeIndex >= 0 ? (row[this.inputTimeIndex] as number | null) : ((this.traceWindow?.time(row) as number | null | undefined) ?? null);
    return {
      values: row.map((v, i) => (i < inSchema.fields.length ? prettyString(v, inSchema.fields[i].dataType) : String(v))),
      eventTimeMs: t === null ? null : Math.floor(t / 1000),
      outcome,
      window: this.windowOf(key),
      key: this.keyStrings(key),
      ...(reason ? { reason } : {}),
    };
  }
}

/** A rough memory figure for progress reports (Spark reports the state store's JVM size). */
export function estimateBytes(rows: number, width: number): number {
  return rows * (64 + 16 * width);
}

const NULL_KEY = '\u0000';

/**
 * A key encoder for the given key types. Each key position has one type, so primitive keys need no
 * type tags: values are joined with a separator and NULL gets its own marker. Other keys fall back
 * to the tagged `encodeKey`.
 */
function keyEncoder(keyTypes: StructType, compact: CompactWindowKey | null): (key: unknown[]) => string {
  const primitive = keyTypes.fields.every((f, i) => (compact !== null && compact.index === i) || (f.dataType.kind === 'atomic' && f.dataType.name !== 'binary'));
  if (!primitive) return encodeKey;
  const n = keyTypes.fields.length;
  if (n === 1) return (key) => (key[0] === null ? NULL_KEY : String(key[0]));
  // Consecutive rows mostly share a window start: remember the last text of each position, since
  // turning a microsecond timestamp into text costs more than the rest of the key.
  const lastValue: unknown[] = new Array(n).fill(undefined);
  const lastText: string[] = new Array(n).fill('');
  const text = (v: unknown, i: number): string => {
    if (v === lastValue[i] && v !== undefined) return lastText[i];
    const s = v === null ? NULL_KEY : String(v);
    lastValue[i] = v;
    lastText[i] = s;
    return s;
  };
  if (n === 2) return (key) => `${text(key[0], 0)}\u0001${text(key[1], 1)}`;
  return (key) => {
    let s = '';
    for (let i = 0; i < key.length; i++) s += `${text(key[i], i)}\u0001`;
    return s;
  };
}
