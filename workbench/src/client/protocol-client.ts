/**
 * The requests of `RuntimeClient` as the protocol words them, for any client that answers the protocol's
 * requests: the live websocket (`LiveClient`) and the in-browser runtime (`BrowserClient`). A subclass
 * supplies `request` and the connection; replies are adapted here (lessons split into steps, rows into
 * tables) once for both.
 */
import type { ClientKind, ClockMode, ReplyOf, RequestFields, ServingAnswer, SourceFile } from '@streamlab/runtime/protocol';
import type { RuntimeEvent } from '../model/server-events.js';
import { adaptLessonSummary, splitLesson } from './adapt.js';
import type { ConnectionInfo, RuntimeClient } from './runtime-client.js';

/** `RuntimeClient` over the protocol's requests. */
export abstract class ProtocolClient implements RuntimeClient {
  connection: ConnectionInfo = { state: 'closed', attempt: 0 };
  private eventListeners = new Set<(e: RuntimeEvent) => void>();
  private connectionListeners = new Set<(c: ConnectionInfo) => void>();
  abstract connect(): void;
  abstract reconnectNow(): void;
  abstract close(): void;
  abstract request<K extends ClientKind>(kind: K, fields: RequestFields<K>): Promise<ReplyOf<K>>;
  abstract serving(lessonId: string): Promise<ServingAnswer | null>;

  onEvent(listener: (event: RuntimeEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onConnection(listener: (info: ConnectionInfo) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Takes `info` as the connection and tells every connection listener. */
  protected setConnection(info: ConnectionInfo): void {
    this.connection = info;
    for (const l of this.connectionListeners) l(info);
  }

  /** Hands an adapted event to every event listener. */
  protected dispatch(event: RuntimeEvent): void {
    for (const l of this.eventListeners) l(event);
  }

  async listLessons() {
    const r = await this.request('lessons.list', {});
    return r.lessons.map(adaptLessonSummary);
  }

  async getLesson(lessonId: string) {
    const { lesson } = await this.request('lessons.get', { lessonId });
    const { markdown, files, hints, solution, data, ...summary } = lesson;
    const split = splitLesson(adaptLessonSummary(summary), markdown, files, { hints, solution });
    return data ? { ...split, data } : split;
  }

  async startRun(request: { lessonId?: string; files: SourceFile[]; mode: ClockMode }) {
    const r = await this.request('run.start', { lessonId: request.lessonId, files: request.files, mode: request.mode, maxRows: 200 });
    return { runId: r.runId };
  }

  async stopRun(runId: string) {
    await this.request('run.stop', { runId });
  }

  async crashRun(runId: string) {
    await this.request('run.crash', { runId });
  }

  async step(runId: string, how: { batches: number } | { advanceMs: number }) {
    const r = await this.request('run.step', { runId, ...how });
    return { batchesRun: r.batchesRun, clockMs: r.clockMs };
  }

  async replayData(runId: string) {
    const r = await this.request('run.replay', { runId });
    return { records: r.records, shiftMs: r.shiftMs };
  }

  async sendExtra(runId: string, extraId: string) {
    const r = await this.request('run.extra', { runId, extraId });
    return { topic: r.topic, key: r.key, value: r.value, eventTimeMs: r.eventTimeMs };
  }

  async resetCheckpoints(lessonId: string | undefined) {
    const r = await this.request('checkpoints.reset', lessonId ? { lessonId } : {});
    return { removed: r.removed };
  }

  async runChecks(lessonId: string, files: SourceFile[]) {
    const r = await this.request('check.run', { lessonId, files });
    return { checkId: r.checkId };
  }

  async listTopics() {
    const r = await this.request('topics.list', {});
    return r.topics.map((t) => ({ name: t.name, partitions: t.partitions, endOffsets: t.endOffsets ?? [] }));
  }

  async createTopic(topic: string, partitions: number) {
    await this.request('topics.create', { topic, partitions });
  }

  async clearTopic(topic: string) {
    const r = await this.request('topics.clear', { topic });
    return { partitions: r.partitions };
  }

  async tailTopic(topic: string, from: 'earliest' | 'latest') {
    const r = await this.request('topics.tail', { topic, from });
    return { tailId: r.tailId };
  }

  async untailTopic(tailId: string) {
    await this.request('topics.untail', { tailId });
  }

  async produce(record: { topic: string; key: string | null; value: string | null; timestamp?: number }) {
    const r = await this.request('topics.produce', record);
    return { partition: r.partition, offset: r.offset };
  }

  async query(sql: string) {
    const r = await this.request('db.query', { sql });
    return { schema: r.columns, rows: r.rows, totalRows: r.rowCount, truncated: r.truncated };
  }

  async exportPySpark(lessonId: string | undefined, files: SourceFile[]) {
    const r = await this.request('export.pyspark', { ...(lessonId ? { lessonId } : {}), files });
    return { source: r.source, warnings: r.warnings };
  }
}
