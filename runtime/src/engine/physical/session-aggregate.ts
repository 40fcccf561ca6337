import { copyBuffer, type AggregateFn } from '../expressions/aggregates.js';
import type { Row } from '../expressions/compile.js';
import type { StructType } from '../types.js';
import { encodeKey, prettyString } from '../values.js';
import { estimateBytes } from './aggregate.js';
import type { BatchContext, EvictingOperator, PhysicalOperator, StateDeclaration } from './operator.js';

interface Session {
  start: number;
  end: number;
  bufs: unknown[];
}

/** State of one grouping key: its sessions, sorted by start and non-overlapping. */
export interface SessionState {
  key: unknown[];
  sessions: Session[];
}

/**
 * Session-window aggregation (Spark's MergingSessions + SessionWindowStateStore operators).
 * Each row opens the session `[t, t + gap)`; sessions of the same key merge while the next start is
 * <= the current end (touching sessions merge). A row is late when its own session ends at or
 * before the late threshold. Append emits (and `onWatermark` forgets) sessions whose end <= the
 * eviction watermark; complete emits every session every batch.
 */
export class SessionAggregateExec implements EvictingOperator {
  readonly children: readonly PhysicalOperator[];
  constructor(
    readonly schema: StructType,
    private readonly child: PhysicalOperator,
    /** Grouping keys other than the session window. */
    private readonly keyFns: readonly ((row: Row) => unknown)[],
    private readonly keyTypes: StructType,
    /** Position of the session struct among the output keys. */
    private readonly sessionIndex: number,
    private readonly time: (row: Row) => unknown,
    /** The session length for a row at time `t` (months are calendar months from `t`); null for none. */
    private readonly gapUs: (row: Row, t: number) => number | null,
    private readonly aggs: readonly AggregateFn[],
    private readonly resultFn: (keysAndAggs: Row) => Row,
    readonly state: StateDeclaration,
  ) {
    this.children = [child];
  }

  describe(): string {
    return `SessionWindowAggregate(keys=[${this.keyTypes.fieldNames().join(', ')}], functions=[${this.aggs.map((a) => a.name).join(', ')}])`;
  }

  private emit(key: unknown[], s: Session): Row {
    const r = key.slice();
    r.splice(this.sessionIndex, 0, [s.start, s.end]);
    for (let i = 0; i < this.aggs.length; i++) r.push(this.aggs[i].evaluate(s.bufs[i]));
    return this.resultFn(r);
  }

  private merge(sessions: Session[]): Session[] {
    sessions.sort((a, b) => a.start - b.start || a.end - b.end);
    const out: Session[] = [];
    for (const s of sessions) {
      const cur = out[out.length - 1];
      if (cur && s.start <= cur.end) {
        cur.end = Math.max(cur.end, s.end);
        cur.bufs = cur.bufs.map((b, i) => this.aggs[i].merge(b, s.bufs[i]));
      } else out.push({ start: s.start, end: s.end, bufs: s.bufs });
    }
    return out;
  }

  execute(ctx: BatchContext): Row[] {
    const rows = this.child.execute(ctx);
    const streaming = ctx.execution === 'streaming';
    const store = streaming ? ctx.stateStore<SessionState>(this.state.id) : null;
    const watermarked = streaming && ctx.hasWatermark && ctx.outputMode !== 'complete';
    const lateUs = ctx.lateWatermarkMs * 1000;
    const fresh = new Map<string, { key: unknown[]; sessions: Session[] }>();
    let dropped = 0;
    const trace = ctx.trace;
    const inSchema = this.child.schema;
    for (const row of rows) {
      const t = this.time(row) as number | null;
      if (t === null) continue;
      const gap = this.gapUs(row, t);
      if (gap === null || gap <= 0) continue;
      const key = this.keyFns.map((f) => f(row));
      if (watermarked && t + gap <= lateUs) {
        dropped++;
        trace.droppedLate++;
        if (trace.wantsRow) trace.addRow({ values: row.map((v, i) => prettyString(v, inSchema.fields[i].dataType)), eventTimeMs: Math.floor(t / 1000), outcome: 'late', window: { startMs: Math.floor(t / 1000), endMs: Math.floor((t + gap) / 1000) }, key: key.map((v, i) => prettyString(v, this.keyTypes.fields[i].dataType)), reason: `session end ${Math.floor((t + gap) / 1000)} <= watermark ${ctx.lateWatermarkMs}` });
        continue;
      }
      const k = encodeKey(key);
      let f = fresh.get(k);
      if (!f) {
        f = { key, sessions: [] };
        fresh.set(k, f);
      }
      f.sessions.push({ start: t, end: t + gap, bufs: this.aggs.map((a) => a.update(a.create(), row)) });
      if (trace.wantsRow) trace.addRow({ values: row.map((v, i) => prettyString(v, inSchema.fields[i].dataType)), eventTimeMs: Math.floor(t / 1000), outcome: 'updated', window: { startMs: Math.floor(t / 1000), endMs: Math.floor((t + gap) / 1000) }, key: key.map((v, i) => prettyString(v, this.keyTypes.fields[i].dataType)) });
    }
    if (!store) {
      const out: Row[] = [];
      for (const f of fresh.values()) for (const s of this.merge(f.sessions)) out.push(this.emit(f.key, s));
      return out;
    }
    let updated = 0;
    for (const [k, f] of fresh) {
      const old = store.get(k);
      const all = [...(old ? old.sessions.map((s) => ({ start: s.start, end: s.end, bufs: s.bufs.map(copyBuffer) })) : []), ...f.sessions];
      const merged = this.merge(all);
      updated += merged.length;
      store.put(k, { key: old ? old.key : f.key, sessions: merged });
    }
    const out: Row[] = [];
    let removed = 0;
    if (ctx.outputMode === 'complete') {
      for (const [, st] of store.entries()) for (const s of st.sessions) out.push(this.emit(st.key, s));
    } else if (watermarked) {
      removed = this.onWatermark(ctx, (row) => out.push(row));
    }
    let total = 0;
    for (const [, st] of store.entries()) total += st.sessions.length;
    ctx.stateMetrics.set(this.state.id, {
      operatorName: 'sessionWindowStateStoreSaveExec',
      numRowsTotal: total,
      numRowsUpdated: updated,
      numRowsRemoved: removed,
      numRowsDroppedByWatermark: dropped,
      memoryUsedBytes: estimateBytes(total, this.keyFns.length + this.aggs.length + 2),
    });
    return out;
  }

  /** Emits and forgets the sessions that end at or before the eviction watermark (the trace counts each as written). */
  onWatermark(ctx: BatchContext, emit: (row: Row) => void): number {
    const store = ctx.stateStore<SessionState>(this.state.id);
    const evictUs = ctx.evictionWatermarkMs * 1000;
    let removed = 0;
    for (const [k, st] of [...store.entries()]) {
      const keep: Session[] = [];
      for (const s of st.sessions) {
        if (s.end <= evictUs) {
          emit(this.emit(st.key, s));
          removed++;
          ctx.trace.addEviction({ key: st.key.map((v, i) => prettyString(v, this.keyTypes.fields[i].dataType)), window: { startMs: Math.floor(s.start / 1000), endMs: Math.floor(s.end / 1000) }, emitted: true });
        } else keep.push(s);
      }
      if (keep.length !== st.sessions.length) {
        if (keep.length === 0) store.remove(k);
        else store.put(k, { key: st.key, sessions: keep });
      }
    }
    return removed;
  }
}
