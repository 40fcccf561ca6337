/**
 * `<sl-session>`: the headless element that owns the runtime client and the session state. It renders
 * only its children. Views read `session.state` through a `SessionController` and call the action
 * methods here; nothing else talks to the runtime.
 */
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import type { ClientKind, ClockMode, ReplyOf, RequestFields, SourceFile } from '@streamlab/runtime/protocol';
import type { RuntimeClient } from '../client/runtime-client.js';
import type { RuntimeEvent } from '../model/server-events.js';
import { connectionLost, initialState, isActive, isOver, reduceEvent, runRequested, runStarted, type SessionState } from './session-state.js';
import { dataAnswered, dataRequested, extraText, replayText } from './lesson-data.js';
import { LocalStore } from './local-store.js';

/** Fired on the session element whenever `state` changes. */
export const SESSION_CHANGE = 'sl-session-change';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

@customElement('sl-session')
export class SlSession extends LitElement {
  /** The state views render. Replaced (never mutated) on every change. */
  state: SessionState = initialState();
  readonly store = new LocalStore();
  private client: RuntimeClient | null = null;
  private unsubscribe: (() => void)[] = [];
  /**
   * The Run on its way, from the press until the runtime has named the run (or refused it). Meanwhile
   * the new run's events may arrive before the reply names it: they wait in `early`.
   */
  private starting: Promise<void> | null = null;
  private early: RuntimeEvent[] = [];
  /** Stop was pressed while the run was starting: it is stopped as soon as it has a name, or never asked for. */
  private stopWhenNamed = false;
  /** A serving request is on its way; `servingAgain`: data changed meanwhile, so ask once more after it. */
  private servingBusy = false;
  private servingAgain = false;
  /** A topics request is on its way; `topicsAgain`: another was asked for meanwhile. */
  private topicsBusy: Promise<void> | null = null;
  private topicsAgain = false;

  /** Renders its children only; `display: contents` keeps the element out of layout. */
  protected override render() {
    return html`<slot></slot>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.style.display = 'contents';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detach();
  }

  /** Hands the session a client and connects it. */
  attach(client: RuntimeClient): void {
    this.detach();
    this.client = client;
    this.unsubscribe = [
      client.onEvent((event) => {
        if (this.starting && 'runId' in event && event.runId !== this.state.run.runId) this.early.push(event);
        else this.set(reduceEvent(this.state, event));
        // The last results survive a reload: they are what the learner earned with this code.
        if (event.kind === 'check.result') this.store.saveChecks(event.lessonId, event.results);
        // New data may have committed: a speed batch, or the batch layer before its query started.
        if (this.state.serving.available && (event.kind === 'run.batch' || event.kind === 'run.query' || (event.kind === 'run.status' && ['running', 'idle', 'finished', 'stopped', 'failed'].includes(event.status)))) {
          void this.refreshServing();
        }
      }),
      client.onConnection((connection) => {
        const wasOpen = this.state.connection.state === 'open';
        this.set({ ...this.state, connection });
        if (connection.state === 'open' && connection.reconnected && !connection.resumed) this.set(connectionLost(this.state));
        if (connection.state === 'open' && !wasOpen) void this.loadLessons();
      }),
    ];
    client.connect();
  }

  private detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.client?.close();
    this.client = null;
  }

  private set(state: SessionState): void {
    this.state = state;
    this.dispatchEvent(new CustomEvent(SESSION_CHANGE));
  }

  private require(): RuntimeClient {
    if (!this.client) throw new Error('No runtime client attached.');
    return this.client;
  }

  private fail(what: string, e: unknown): void {
    this.set({ ...this.state, notice: `${what}: ${message(e)}` });
  }

  /** Any request of the protocol, for a view that reads its own data (see `RequestController`). */
  request<K extends ClientKind>(kind: K, fields: RequestFields<K>): Promise<ReplyOf<K>> {
    return this.require().request(kind, fields);
  }

  /** Skips the reconnect backoff. */
  reconnectNow(): void {
    this.client?.reconnectNow();
  }

  /** Clears the notice banner. */
  dismissNotice(): void {
    this.set({ ...this.state, notice: null });
  }

  /** Hides one of the instructor's comments. */
  dismissComment(commentId: string): void {
    this.set({ ...this.state, comments: { ...this.state.comments, dismissed: [...this.state.comments.dismissed, commentId] } });
  }

  async loadLessons(): Promise<void> {
    try {
      // Await before reading this.state: other replies may have changed it meanwhile.
      const lessons = await this.require().listLessons();
      this.set({ ...this.state, lessons });
    } catch (e) {
      this.fail('Could not load the lessons', e);
    }
  }

  async openLesson(lessonId: string | null): Promise<void> {
    if (lessonId === null) {
      this.set({ ...this.state, lesson: null, checks: { status: 'idle', results: [] } });
      return;
    }
    try {
      const lesson = await this.require().getLesson(lessonId);
      const results = this.store.loadChecks(lessonId);
      this.set({ ...this.state, lesson, checks: results.length ? { status: 'done', results } : { status: 'idle', results: [] }, serving: { lessonId, available: false, answer: null, error: null } });
      void this.refreshServing();
    } catch (e) {
      this.fail(`Could not open lesson ${lessonId}`, e);
    }
  }

  /**
   * Asks the runtime for the open lesson's serving answer (the runtime's cache answers when nothing
   * committed since). One request at a time; a change while one is on its way asks once more after it.
   */
  async refreshServing(): Promise<void> {
    if (this.servingBusy) {
      this.servingAgain = true;
      return;
    }
    this.servingBusy = true;
    try {
      do {
        this.servingAgain = false;
        const lessonId = this.state.lesson?.id;
        if (!lessonId || !this.client) return;
        let next: SessionState['serving'];
        try {
          const answer = await this.client.serving(lessonId);
          next = { lessonId, available: answer !== null, answer, error: null };
        } catch (e) {
          const last = this.state.serving.lessonId === lessonId ? this.state.serving.answer : null;
          next = { lessonId, available: true, answer: last, error: message(e) };
        }
        if (this.state.lesson?.id === lessonId) this.set({ ...this.state, serving: next });
      } while (this.servingAgain);
    } finally {
      this.servingBusy = false;
    }
  }

  /**
   * Runs the files: the run before (if one is going) stops and its output leaves the panels at once.
   * A Run pressed while one is still starting (or stopping, after a Stop) runs once that one is done.
   */
  run(files: SourceFile[], mode: ClockMode): Promise<void> {
    if (this.starting) return this.starting.then(() => this.run(files, mode));
    const starting = this.startRun(files, mode).finally(() => {
      this.starting = null;
      this.early = [];
    });
    this.starting = starting;
    return starting;
  }

  private async startRun(files: SourceFile[], mode: ClockMode): Promise<void> {
    const previous = isActive(this.state) ? this.state.run.runId : null;
    this.early = [];
    this.stopWhenNamed = false;
    this.set({ ...runRequested(this.state, mode), notice: null });
    let runId: string;
    try {
      // One run at a time: Run during a run restarts it with the new code. Whether the old one stopped or
      // had ended meanwhile, the new one is asked for; the runtime says if it cannot take it.
      if (previous) await this.require().stopRun(previous).catch(() => undefined);
      if (this.stopWhenNamed) {
        this.set({ ...this.state, run: { ...this.state.run, status: 'stopped' } });
        return;
      }
      ({ runId } = await this.require().startRun({ lessonId: this.state.lesson?.id, files, mode }));
    } catch (e) {
      this.set({ ...this.state, run: { ...this.state.run, status: 'failed' } });
      this.fail('The pipeline did not start', e);
      return;
    }
    let state = runStarted(this.state, runId, mode);
    if (this.stopWhenNamed) state = { ...state, run: { ...state.run, status: 'stopping' } };
    for (const event of this.early) state = reduceEvent(state, event);
    this.early = [];
    this.set(state);
    // Stop was pressed before the runtime named the run (it may still be compiling): stop it now.
    if (this.stopWhenNamed && !isOver(state.run.status)) await this.stopNamed(runId);
  }

  /** Stops the run the learner sees: the one going, or the one starting (once the runtime has named it). */
  async stop(): Promise<void> {
    if (this.starting) {
      this.stopWhenNamed = true;
      this.set({ ...this.state, run: { ...this.state.run, status: 'stopping' } });
      return this.starting;
    }
    const runId = this.state.run.runId;
    if (runId && !isOver(this.state.run.status)) await this.stopNamed(runId);
  }

  private async stopNamed(runId: string): Promise<void> {
    try {
      this.set({ ...this.state, run: { ...this.state.run, status: 'stopping' } });
      await this.require().stopRun(runId);
      if (this.state.run.runId === runId && this.state.run.status === 'stopping') this.set({ ...this.state, run: { ...this.state.run, status: 'stopped' } });
    } catch (e) {
      this.fail('Could not stop the run', e);
    }
  }

  async crash(): Promise<void> {
    const runId = this.state.run.runId;
    if (!runId) return;
    try {
      await this.require().crashRun(runId);
    } catch (e) {
      this.fail('Could not crash the run', e);
    }
  }

  async step(how: { batches: number } | { advanceMs: number }): Promise<void> {
    const runId = this.state.run.runId;
    if (!runId) return;
    try {
      const { clockMs } = await this.require().step(runId, how);
      if (this.state.run.runId === runId) this.set({ ...this.state, run: { ...this.state.run, clockMs } });
    } catch (e) {
      this.fail('Could not step the run', e);
    }
  }

  /** Plays the run's lesson data again from the start; the run controls' line says what happened. */
  async replayData(): Promise<void> {
    const runId = this.state.run.runId;
    const data = this.state.lesson?.data;
    if (!runId || !data) return;
    this.set(dataRequested(this.state, runId, 'replay'));
    try {
      const reply = await this.require().replayData(runId);
      this.set(dataAnswered(this.state, runId, replayText(data, reply)));
    } catch (e) {
      this.set(dataAnswered(this.state, runId, `Not replayed: ${message(e)}`, true));
    }
  }

  /** Sends one of the lesson's extra records into the run. */
  async sendExtra(extraId: string): Promise<void> {
    const runId = this.state.run.runId;
    const extra = this.state.lesson?.data?.extras.find((x) => x.id === extraId);
    if (!runId || !extra) return;
    this.set(dataRequested(this.state, runId, extraId));
    try {
      const reply = await this.require().sendExtra(runId, extraId);
      this.set(dataAnswered(this.state, runId, extraText(extra.label, reply)));
    } catch (e) {
      this.set(dataAnswered(this.state, runId, `Not sent: ${message(e)}`, true));
    }
  }

  /**
   * Forgets the saved state of the lesson's queries, so the next Run starts them from the beginning
   * (needed after changing a query's stateful steps); resolves with a line for the learner.
   */
  async resetSavedState(): Promise<string> {
    try {
      const { removed } = await this.require().resetCheckpoints(this.state.lesson?.id);
      return removed === 0
        ? 'No saved state to forget: the next Run starts every query from the beginning.'
        : `Forgot the saved state of ${removed} ${removed === 1 ? 'query' : 'queries'}: the next Run starts ${removed === 1 ? 'it' : 'them'} from the beginning.`;
    } catch (e) {
      return `Not forgotten: ${message(e)}`;
    }
  }

  async check(files: SourceFile[]): Promise<void> {
    const lesson = this.state.lesson;
    if (!lesson) return;
    try {
      this.set({ ...this.state, checks: { status: 'running', results: [] } });
      await this.require().runChecks(lesson.id, files);
    } catch (e) {
      this.set({ ...this.state, checks: { status: 'failed', results: [], error: message(e) } });
    }
  }

  /**
   * Tells the runtime where the learner is in a lesson (the step shown, and the editor's code when
   * given), for the instructor's dashboard. Nothing for the learner to see: a runtime that cannot take
   * it (an older one, a tab without a runtime, a connection down) is left as it is.
   */
  reportProgress(progress: { lessonId: string; step: number; steps: number; title: string; files?: SourceFile[] }): void {
    if (!this.client || this.state.connection.state !== 'open') return;
    this.client.request('lesson.progress', progress).catch(() => undefined);
  }

  /** Exports the files to PySpark; rejects with a message for the learner. */
  async exportPySpark(files: SourceFile[]): Promise<{ source: string; warnings: string[] }> {
    return this.require().exportPySpark(this.state.lesson?.id, files);
  }

  /**
   * Asks for the topics and their end offsets. One request at a time (the Topics panel asks every
   * moment while a run writes); a refresh asked for meanwhile asks once more after it.
   */
  async refreshTopics(): Promise<void> {
    if (this.topicsBusy) {
      this.topicsAgain = true;
      return this.topicsBusy;
    }
    const once = async () => {
      do {
        this.topicsAgain = false;
        try {
          // Await before reading this.state: other replies may have changed it meanwhile.
          const topics = await this.require().listTopics();
          this.set({ ...this.state, topics });
        } catch (e) {
          this.fail('Could not list the topics', e);
        }
      } while (this.topicsAgain);
    };
    this.topicsBusy = once().finally(() => (this.topicsBusy = null));
    return this.topicsBusy;
  }

  async createTopic(topic: string, partitions: number): Promise<void> {
    try {
      await this.require().createTopic(topic, partitions);
      this.set({ ...this.state, produced: `Created ${topic} with ${partitions} ${partitions === 1 ? 'partition' : 'partitions'}.` });
      await this.refreshTopics();
    } catch (e) {
      this.set({ ...this.state, produced: `Not created: ${message(e)}` });
    }
  }

  /** Empties a topic, keeping its partitions. */
  async clearTopic(topic: string): Promise<void> {
    try {
      const { partitions } = await this.require().clearTopic(topic);
      this.set({ ...this.state, topicNote: `Cleared ${topic}: its ${partitions === 1 ? 'partition is' : `${partitions} partitions are`} empty.` });
      await this.refreshTopics();
    } catch (e) {
      this.set({ ...this.state, topicNote: `Not cleared: ${message(e)}` });
    }
  }

  async produce(record: { topic: string; key: string | null; value: string | null; timestamp?: number }): Promise<void> {
    try {
      const { partition, offset } = await this.require().produce(record);
      this.set({ ...this.state, produced: `Sent to ${record.topic} partition ${partition} at offset ${offset}.` });
      void this.refreshTopics();
    } catch (e) {
      this.set({ ...this.state, produced: `Not sent: ${message(e)}` });
    }
  }

  async runQuery(sql: string): Promise<void> {
    this.set({ ...this.state, query: { sql, status: 'running' } });
    try {
      const result = await this.require().query(sql);
      this.set({ ...this.state, query: { sql, status: 'done', result } });
    } catch (e) {
      this.set({ ...this.state, query: { sql, status: 'failed', error: message(e) } });
    }
  }

  async tail(topic: string): Promise<void> {
    const client = this.require();
    if (this.state.tail.tailId) await client.untailTopic(this.state.tail.tailId).catch(() => undefined);
    try {
      this.set({ ...this.state, tail: { tailId: null, topic, records: [] } });
      const { tailId } = await client.tailTopic(topic, 'earliest');
      this.set({ ...this.state, tail: { ...this.state.tail, tailId } });
    } catch (e) {
      this.fail(`Could not tail ${topic}`, e);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-session': SlSession;
  }
}
