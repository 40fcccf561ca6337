/**
 * Plays a recorded session as if a runtime were answering: lessons and checks from the recording, and
 * on `startRun` the recorded events in order. Timing is scaled by `speed` (0 = as fast as possible), so
 * component tests run instantly and the offline demo looks live.
 */
import { replyKind, type ClientKind, type ReplyFields, type ReplyOf, type RequestFields } from '@streamlab/runtime/protocol';
import type { RecordedSession } from '../fixtures/recorded-session.js';
import type { RuntimeEvent } from '../model/server-events.js';
import { RuntimeError, type ConnectionInfo, type RuntimeClient } from './runtime-client.js';

/** The replay implementation of `RuntimeClient`. */
export class ReplayClient implements RuntimeClient {
  connection: ConnectionInfo = { state: 'closed', attempt: 0 };
  private eventListeners = new Set<(e: RuntimeEvent) => void>();
  private connectionListeners = new Set<(c: ConnectionInfo) => void>();
  private timers: ReturnType<typeof setTimeout>[] = [];
  private runs = 0;
  private clockMs = 0;

  /** @param speed 1 plays at recorded speed, 0 delivers everything on the next tick. */
  constructor(private readonly session: RecordedSession, private readonly speed = 1) {}

  connect(): void {
    this.connection = { state: 'open', attempt: 0, message: `Replaying “${this.session.name}” (no runtime).` };
    for (const l of this.connectionListeners) l(this.connection);
  }

  reconnectNow(): void {}

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.connection = { state: 'closed', attempt: 0 };
    for (const l of this.connectionListeners) l(this.connection);
  }

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onConnection(listener: (info: ConnectionInfo) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private emit(event: RuntimeEvent): void {
    for (const l of this.eventListeners) l(event);
  }

  private later(ms: number, fn: () => void): void {
    this.timers.push(setTimeout(fn, ms * this.speed));
  }

  /** What a recording can answer of the protocol's requests, as the runtime would have. */
  private readonly answers: { [K in ClientKind]?: (fields: RequestFields<K>) => ReplyFields<K> } = {
    'db.tables': () => ({ tables: this.session.tables.map((name) => ({ schema: 'public', name, columns: [] })) }),
  };

  async request<K extends ClientKind>(kind: K, fields: RequestFields<K>): Promise<ReplyOf<K>> {
    const answer = this.answers[kind] as ((fields: RequestFields<K>) => ReplyFields<K>) | undefined;
    if (!answer) throw new RuntimeError('not-implemented', `A recorded session cannot answer ${kind}.`);
    return { kind: replyKind(kind), id: `replay-${kind}`, ...answer(fields) } as unknown as ReplyOf<K>;
  }

  async listLessons() {
    return this.session.lessons;
  }

  async getLesson(lessonId: string) {
    if (lessonId !== this.session.lesson.id) throw new RuntimeError('not-found', `This recording has no lesson “${lessonId}”.`);
    return this.session.lesson;
  }

  async startRun() {
    const runId = `replay-${++this.runs}`;
    for (const { atMs, event } of this.session.run.events) {
      this.later(atMs, () => this.emit('runId' in event ? ({ ...event, runId } as RuntimeEvent) : event));
    }
    return { runId };
  }

  async stopRun(runId: string) {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.emit({ kind: 'run.status', runId, status: 'stopped' });
  }

  async crashRun(runId: string) {
    this.emit({ kind: 'run.log', runId, level: 'log', text: 'Crash mid-batch: the query dies right after the next batch is written, before it is committed.' });
  }

  async step(_runId: string, how: { batches: number } | { advanceMs: number }) {
    if ('advanceMs' in how) this.clockMs += how.advanceMs;
    return { batchesRun: 'batches' in how ? how.batches : 0, clockMs: this.clockMs };
  }

  async replayData(): Promise<{ records: number; shiftMs: number }> {
    throw new RuntimeError('not-implemented', 'A recorded session cannot play the lesson\'s data again: Replay data needs a live runtime (open the URL printed by `streamlab start`).');
  }

  async sendExtra(): Promise<{ topic: string; key: string | null; value: string; eventTimeMs: number | null }> {
    throw new RuntimeError('not-implemented', 'A recorded session cannot send records: the lesson\'s extra records need a live runtime (open the URL printed by `streamlab start`).');
  }

  async resetCheckpoints(): Promise<{ removed: number }> {
    throw new RuntimeError('not-implemented', 'A recorded session keeps no saved state: forgetting it needs a live runtime (open the URL printed by `streamlab start`).');
  }

  async runChecks(lessonId: string) {
    const checkId = `check-${this.runs}`;
    this.later(50, () => this.emit({ kind: 'check.result', lessonId, results: this.session.checks }));
    return { checkId };
  }

  async listTopics() {
    return this.session.topics;
  }

  async serving(): Promise<null> {
    // A recorded session has no database to serve from.
    return null;
  }

  async createTopic(): Promise<void> {
    throw new RuntimeError('not-implemented', 'A recorded session cannot create topics.');
  }

  async clearTopic(): Promise<{ partitions: number }> {
    throw new RuntimeError('not-implemented', 'A recorded session cannot clear topics: that needs a live runtime (open the URL printed by `streamlab start`).');
  }

  async tailTopic(topic: string) {
    const tailId = `tail-${topic}`;
    for (const r of this.session.records.filter((x) => x.topic === topic)) this.later(20, () => this.emit({ kind: 'topics.record', tailId, ...r }));
    return { tailId };
  }

  async untailTopic() {}

  async produce(record: { topic: string }) {
    const topic = this.session.topics.find((t) => t.name === record.topic);
    if (!topic) throw new RuntimeError('not-found', `There is no topic “${record.topic}”.`);
    return { partition: 0, offset: topic.endOffsets[0] ?? '0' };
  }

  async exportPySpark(): Promise<{ source: string; warnings: string[] }> {
    throw new RuntimeError('not-implemented', 'Export to PySpark needs a live runtime: open the URL printed by `streamlab start`.');
  }

  async query(sql: string) {
    const result = this.session.queries[sql.trim().toLowerCase().replace(/;$/, '')];
    if (!result) throw new RuntimeError('invalid-request', 'This recording has no answer for that query.');
    return { ...result, truncated: false };
  }
}
