/**
 * `<sl-lesson-view>`: one lesson — its text in steps with hints, the editor with run controls, and the
 * panels. It turns the children's intent events into session actions and keeps the learner's code and
 * progress in local storage (autosave on every edit, debounced).
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { ClockMode, SourceFile } from '@streamlab/runtime/protocol';
import type { Lesson } from '../model/server-events.js';
import { SessionController } from '../session/session-controller.js';
import { canRun, isActive } from '../session/session-state.js';
import { advancePlan } from '../session/advance-steps.js';
import { dataControls } from '../session/lesson-data.js';
import { sharedStyles } from '../elements/shared-styles.js';
import { renderMarkdown } from './render-markdown.js';
import type { SlEditor } from '../editor/sl-editor.js';
import type { PanelName, SlPanels } from '../panels/sl-panels.js';
import '../elements/sl-run-controls.js';
import '../panels/sl-panels.js';
import './sl-step-outline.js';

/** A Kafka clients lesson has no streaming query: no batches to draw or chart. */
const OMIT_FOR_KAFKA: PanelName[] = ['Timeline', 'Metrics', 'Serving'];
const NO_PANELS: PanelName[] = [];
/** Panels that get about half the window's height while open (see the styles). */
const TALL_PANELS: PanelName[] = ['Timeline', 'Database'];
/** A lesson without a serving layer has no use for its panel. */
const NO_SERVING: PanelName[] = ['Serving'];

@customElement('sl-lesson-view')
export class SlLessonView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      /* The view fills the window. The panels take a share of the height (never less than their tabs and
         a few rows), the editor everything the run controls leave above them: at 1024×700 that is still
         15 lines and more. The Timeline and the Database panel draw a whole picture (lanes, axis and
         legend; a query and its result), so while one of them is open the panels take a larger share and
         the editor gives way, still a dozen lines at 1024×700 (the Timeline's lanes shrink to fit). A
         narrow window gives the code two thirds of the width. */
      :host { display: grid; height: 100%; box-sizing: border-box; grid-template-rows: minmax(0, 1fr) clamp(10rem, 30vh, 22rem); gap: 0.5rem; padding: 0.4rem 1rem 0.6rem; }
      :host([tall-panel]) { grid-template-rows: minmax(0, 1fr) clamp(15rem, 36vh, 28rem); }
      .top { display: grid; grid-template-columns: minmax(16rem, 2fr) 3fr; gap: 1rem; min-height: 0; }
      @media (max-width: 1100px) { .top { grid-template-columns: minmax(14rem, 1fr) 2.2fr; } }
      @media (max-width: 900px) { :host { height: auto; grid-template-rows: auto 24rem; } .top { grid-template-columns: 1fr; } .code { height: 28rem; } }
      article { overflow: auto; padding-right: 0.5rem; line-height: 1.55; }
      article h2 { font-size: 1.15rem; margin-top: 0.25rem; }
      /* A command or a code line longer than the lesson column wraps instead of hiding its end behind a
         sideways scroll (lesson 05's export command was cut at "--out loca" at 1024 px). */
      article pre { background: var(--sl-surface); border: 1px solid var(--sl-border); border-radius: 6px; padding: 0.6rem; overflow-x: auto; font-size: 0.85rem; white-space: pre-wrap; overflow-wrap: anywhere; }
      article code { font-size: 0.9em; }
      article a { color: var(--sl-accent); }
      /* The outline has the column's whole width on a line of its own, its title wrapped when long;
         Previous and Next go under it, at either end. */
      .steps { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.5rem; font-size: 0.85rem; }
      .steps sl-step-outline { order: -1; flex: 1 1 100%; min-width: 0; font: inherit; }
      .steps button:last-child { margin-left: auto; }
      .next-lesson { display: inline-block; margin-top: 1rem; font-weight: 600; }
      .replaced { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; padding: 0.3rem 0.6rem; margin: 0.25rem 0; border-radius: 6px; background: var(--sl-surface-2); font-size: 0.85rem; }
      .hints { margin-top: 1rem; border-top: 1px solid var(--sl-border); padding-top: 0.5rem; }
      .hints ol { padding-left: 1.25rem; }
      .code { display: flex; flex-direction: column; min-height: 0; overflow: hidden; }
      .toolbar { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
      .saved { font-size: 0.8rem; color: var(--sl-muted); }
      /* The saved note gives way (ellipsis) before the buttons wrap under the file tabs. */
      .actions { display: flex; flex: 1 1 0; min-width: 0; gap: 0.3rem; align-items: center; justify-content: flex-end; padding-bottom: 3px; }
      .actions .saved { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .actions button { flex: none; }
      .actions button { padding: 0.15rem 0.5rem; font-size: 0.8rem; }
      sl-editor { flex: 1 1 0; min-height: 7rem; border: 1px solid var(--sl-border); }
      sl-panels { border: 1px solid var(--sl-border); border-radius: 6px; min-height: 0; }
      dialog.export { width: min(60rem, 92vw); max-height: 85vh; background: var(--sl-bg, Canvas); color: inherit; border: 1px solid var(--sl-border); border-radius: 8px; }
      dialog.export pre { max-height: 60vh; overflow: auto; background: var(--sl-surface); padding: 0.6rem; border-radius: 6px; font-size: 0.8rem; }
      dialog.export .warnings { color: var(--sl-warn, inherit); }
    `,
  ];

  @property({ attribute: false }) lesson: Lesson | null = null;
  @state() private files: SourceFile[] = [];
  @state() private step = 0;
  @state() private hintsShown = 0;
  @state() private mode: ClockMode = 'system';
  @state() private intervalMs = 10_000;
  @state() private savedAt: string | null = null;
  /** What "Forget saved state" did. */
  @state() private stateNote: string | null = null;
  /** The learner's own code while Reset or Show solution has replaced it, for Undo / Back to my code. */
  @state() private kept: { files: SourceFile[]; replacedBy: 'starter' | 'solution' } | null = null;
  /** The last export: the PySpark program, or why there is none. */
  @state() private exported: { source: string; warnings: string[] } | { error: string } | null = null;
  @query('sl-editor') private editor!: SlEditor;
  @query('sl-panels') private panels!: SlPanels;
  private readonly session = new SessionController(this);
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private reportTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    this.addEventListener('sl-run', () => void this.run());
    this.addEventListener('sl-stop', () => void this.session.session?.stop());
    this.addEventListener('sl-crash', () => void this.session.session?.crash());
    this.addEventListener('sl-step', () => void this.session.session?.step({ batches: 1 }));
    this.addEventListener('sl-advance', (e) => void this.session.session?.step({ advanceMs: (e as CustomEvent<number>).detail }));
    this.addEventListener('sl-replay', () => void this.session.session?.replayData());
    this.addEventListener('sl-extra', (e) => void this.session.session?.sendExtra((e as CustomEvent<string>).detail));
    this.addEventListener('sl-clear-topic', (e) => void this.session.session?.clearTopic((e as CustomEvent<string>).detail));
    this.addEventListener('sl-mode', (e) => (this.mode = (e as CustomEvent<ClockMode>).detail));
    this.addEventListener('sl-interval', (e) => (this.intervalMs = (e as CustomEvent<number>).detail));
    this.addEventListener('sl-change', (e) => {
      this.autosave((e as CustomEvent<SourceFile[]>).detail);
      this.reportCodeSoon((e as CustomEvent<SourceFile[]>).detail);
    });
    this.addEventListener('sl-reveal', (e) => {
      const d = (e as CustomEvent<{ file?: string; line?: number; column?: number }>).detail;
      if (d.line && typeof this.editor?.revealLine === 'function') this.editor.revealLine(d.file, d.line, d.column);
    });
    this.addEventListener('sl-check', () => void this.check());
    this.addEventListener('sl-topics-refresh', () => void this.session.session?.refreshTopics());
    this.addEventListener('sl-tail', (e) => void this.session.session?.tail((e as CustomEvent<string>).detail));
    this.addEventListener('sl-create-topic', (e) => {
      const d = (e as CustomEvent<{ topic: string; partitions: number }>).detail;
      void this.session.session?.createTopic(d.topic, d.partitions);
    });
    this.addEventListener('sl-produce', (e) => void this.session.session?.produce((e as CustomEvent).detail));
    // Ctrl/Cmd+Enter runs from anywhere in the lesson (the editor handles it itself and stops it).
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
        e.preventDefault();
        void this.run();
      }
    });
    this.addEventListener('sl-query', (e) => void this.session.session?.runQuery((e as CustomEvent<string>).detail));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lesson') && this.lesson) {
      const store = this.session.session?.store;
      const saved = store?.loadCode(this.lesson.id);
      this.files = saved ?? this.lesson.files;
      const progress = store?.progress(this.lesson.id);
      this.step = Math.min(progress?.step ?? 0, this.lesson.steps.length - 1);
      this.hintsShown = Math.min(progress?.hintsShown ?? 0, this.lesson.hints.length);
      this.savedAt = saved ? 'Restored your saved code.' : null;
      this.kept = store?.loadKept(this.lesson.id) ?? null;
      this.reportProgress(this.files);
    }
  }

  /** Where the learner is (the step shown, and the code when given), for the instructor's dashboard. */
  private reportProgress(files?: SourceFile[]): void {
    const lesson = this.lesson;
    if (!lesson) return;
    const steps = Math.min(lesson.steps.length, 200);
    const step = Math.min(this.step, steps - 1);
    const title = lesson.steps[step]?.title.slice(0, 200) ?? '';
    this.session.session?.reportProgress({ lessonId: lesson.id, step, steps, title, ...(files ? { files } : {}) });
  }

  /** The editor's code, a moment after the learner stops typing (one message per pause, not per key). */
  private reportCodeSoon(files: SourceFile[]): void {
    if (this.reportTimer) clearTimeout(this.reportTimer);
    this.reportTimer = setTimeout(() => {
      this.reportTimer = null;
      this.reportProgress(files);
    }, 2000);
  }

  /**
   * Monaco is most of the bundle: it loads when a lesson opens, not before the lesson list or the
   * no-token page can show. Lit keeps properties set on `<sl-editor>` before its definition arrives.
   */
  private static monaco: Promise<typeof import('./highlight-code.js')> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    SlLessonView.monaco ??= import('../editor/sl-editor.js').then(() => import('./highlight-code.js'));
    void SlLessonView.monaco.then(() => this.requestUpdate());
  }

  protected override updated(): void {
    const article = this.renderRoot.querySelector('article');
    if (article) void SlLessonView.monaco?.then(({ highlightCode }) => highlightCode(article, this.editor?.shadowRoot));
  }

  private currentFiles(): SourceFile[] {
    // Before Monaco has loaded the element is not upgraded yet and the files are still the ones set.
    return typeof this.editor?.getFiles === 'function' ? this.editor.getFiles() : this.files;
  }

  private autosave(files: SourceFile[]): void {
    if (!this.lesson) return;
    const id = this.lesson.id;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.session.session?.store.saveCode(id, files);
      this.savedAt = `Saved ${new Date().toLocaleTimeString()}`;
      this.stateNote = null;
    }, 300);
  }

  private async run(): Promise<void> {
    const s = this.session.state;
    if (!canRun(s)) return;
    this.panels?.open('Output');
    await this.session.session?.run(this.currentFiles(), this.mode);
  }

  private async check(): Promise<void> {
    this.panels?.open('Checks');
    await this.session.session?.check(this.currentFiles());
  }

  /**
   * Replaces the editor's code with the starter or the solution. No question first: the learner's code
   * is set aside (and kept across reloads) and one click brings it back.
   */
  private replaceCode(by: 'starter' | 'solution'): void {
    const lesson = this.lesson;
    const replacement = by === 'starter' ? lesson?.files : lesson?.solution;
    if (!lesson || !replacement) return;
    const store = this.session.session?.store;
    const mine = this.currentFiles();
    const same = (a: SourceFile[], b: SourceFile[]) => a.length === b.length && a.every((f, i) => f.path === b[i]?.path && f.content === b[i]?.content);
    // Keep the learner's own code, not a starter or solution shown before.
    const ownCode = !same(mine, lesson.files) && !(lesson.solution && same(mine, lesson.solution));
    if (ownCode) this.kept = { files: mine, replacedBy: by };
    else if (this.kept) this.kept = { ...this.kept, replacedBy: by };
    store?.saveKept(lesson.id, this.kept);
    this.files = replacement.map((f) => ({ ...f }));
    if (by === 'starter') store?.clearCode(lesson.id);
    else store?.saveCode(lesson.id, this.files);
    this.savedAt = by === 'starter' ? 'Reset to the starter code.' : 'The solution is in the editor.';
    this.reportProgress(this.files);
  }

  private restoreKept(): void {
    if (!this.lesson || !this.kept) return;
    this.files = this.kept.files.map((f) => ({ ...f }));
    this.session.session?.store.saveCode(this.lesson.id, this.files);
    this.session.session?.store.saveKept(this.lesson.id, null);
    this.kept = null;
    this.savedAt = 'Your code is back.';
    this.reportProgress(this.files);
  }

  private forgetKept(): void {
    if (!this.lesson) return;
    this.session.session?.store.saveKept(this.lesson.id, null);
    this.kept = null;
  }

  private async forgetSavedState(): Promise<void> {
    if (!this.session.session) return;
    this.stateNote = 'Forgetting the saved state…';
    this.stateNote = await this.session.session.resetSavedState();
  }

  private async exportPySpark(): Promise<void> {
    if (!this.session.session) return;
    try {
      this.exported = await this.session.session.exportPySpark(this.currentFiles());
    } catch (e) {
      this.exported = { error: e instanceof Error ? e.message : String(e) };
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLDialogElement>('dialog.export')?.showModal();
  }

  private downloadExport(): void {
    if (!this.exported || !('source' in this.exported)) return;
    const url = URL.createObjectURL(new Blob([this.exported.source], { type: 'text/x-python' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${this.lesson?.id ?? 'pipeline'}.py`;
    a.click();
    URL.revokeObjectURL(url);
  }

  private renderExport() {
    const e = this.exported;
    return html`<dialog class="export" aria-label="Export to PySpark" @close=${() => (this.exported = null)}>
      <h2>Export to PySpark</h2>
      ${e === null ? '' : 'error' in e
        ? html`<p role="alert">${e.error}</p>`
        : html`${e.warnings.length ? html`<ul class="warnings" aria-label="Stubs">${e.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
          <pre aria-label="PySpark program"><code>${e.source}</code></pre>
          <button @click=${this.downloadExport}>Download .py</button>`}
      <form method="dialog"><button>Close</button></form>
    </dialog>`;
  }


  private goStep(step: number): void {
    if (!this.lesson) return;
    this.step = Math.max(0, Math.min(this.lesson.steps.length - 1, step));
    this.session.session?.store.saveProgress(this.lesson.id, { step: this.step });
    this.reportProgress();
    this.renderRoot.querySelector('article')?.scrollTo({ top: 0 });
  }

  private nextHint(): void {
    if (!this.lesson) return;
    this.hintsShown = Math.min(this.lesson.hints.length, this.hintsShown + 1);
    this.session.session?.store.saveProgress(this.lesson.id, { hintsShown: this.hintsShown });
  }

  protected override render() {
    const lesson = this.lesson;
    if (!lesson) return html`<p class="muted">Loading the lesson…</p>`;
    const s = this.session.state;
    if (s.checks.status === 'done' && s.checks.results.length && s.checks.results.every((r) => r.passed)) {
      this.session.session?.store.saveProgress(lesson.id, { checksPassed: true });
    }
    const step = lesson.steps[this.step]!;
    const steps = lesson.steps.length;
    const ordered = [...s.lessons].sort((a, b) => a.id.localeCompare(b.id));
    const nextLesson = ordered[ordered.findIndex((l) => l.id === lesson.id) + 1];
    const kafkaOnly = lesson.api === 'kafka';
    return html`
      <div class="top">
        <article aria-label="Lesson text">
          <nav class="steps" aria-label="Steps">
            <button @click=${() => this.goStep(this.step - 1)} ?disabled=${this.step === 0}>Previous</button>
            <sl-step-outline .titles=${lesson.steps.map((st) => st.title)} current=${this.step} @sl-step=${(e: CustomEvent<number>) => this.goStep(e.detail)}></sl-step-outline>
            <button @click=${() => this.goStep(this.step + 1)} ?disabled=${this.step >= steps - 1}>Next</button>
          </nav>
          <h2>${step.title}</h2>
          <div>${unsafeHTML(renderMarkdown(step.markdown))}</div>
          ${this.step === steps - 1 && nextLesson ? html`<a class="next-lesson" href="#/lesson/${encodeURIComponent(nextLesson.id)}">Next lesson: ${nextLesson.title} →</a>` : ''}
          ${lesson.hints.length ? html`<section class="hints" aria-label="Hints">
            <ol>${lesson.hints.slice(0, this.hintsShown).map((h) => html`<li>${unsafeHTML(renderMarkdown(h))}</li>`)}</ol>
            <button @click=${this.nextHint} ?disabled=${this.hintsShown >= lesson.hints.length}>
              ${this.hintsShown === 0 ? 'Show a hint' : `Show another hint (${lesson.hints.length - this.hintsShown} left)`}</button>
          </section>` : ''}
        </article>
        <div class="code">
          <div class="toolbar">
            <sl-run-controls status=${s.run.status} .ahead=${s.run.ahead} mode=${isActive(s) ? s.run.mode : this.mode} .clockMs=${s.run.clockMs}
              ?canRun=${canRun(s)} ?active=${isActive(s)} intervalMs=${this.intervalMs} ?plain=${kafkaOnly}
              ?canCheck=${s.connection.state === 'open'} ?checking=${s.checks.status === 'running'}
              .plan=${advancePlan(s.run.queries, s.batches, this.intervalMs)} .data=${dataControls(s)}></sl-run-controls>
          </div>
          ${this.kept ? html`<div class="replaced" role="group" aria-label="Your code">
            <span>${this.kept.replacedBy === 'solution' ? 'Showing the lesson’s solution.' : 'The starter code replaced yours.'} Your code is kept.</span>
            <button @click=${this.restoreKept}>${this.kept.replacedBy === 'solution' ? 'Back to my code' : 'Undo'}</button>
            <button @click=${this.forgetKept} aria-label="Forget my earlier code">Dismiss</button>
          </div>` : ''}
          <sl-editor .files=${this.files} .problems=${s.errors}><div slot="actions" class="actions">
            <span class="saved" role="status" title=${this.stateNote ?? this.savedAt ?? ''}>${this.stateNote ?? this.savedAt ?? ''}</span>
            <button @click=${() => this.replaceCode('starter')}>Reset to starter</button>
            <button @click=${() => this.replaceCode('solution')} ?disabled=${!lesson.solution} title=${lesson.solution ? '' : 'This lesson has no solution to show here'}>Show solution</button>
            <button @click=${this.exportPySpark} ?disabled=${lesson.api === 'kafka'} title=${lesson.api === 'kafka' ? 'This lesson has no Spark pipeline to export' : 'The pipeline as a PySpark program for a real Spark cluster'}>Export to PySpark</button>
            ${kafkaOnly ? '' : html`<button @click=${this.forgetSavedState} ?disabled=${isActive(s) || s.connection.state !== 'open'}
              title=${isActive(s) ? 'Stop the run first: its queries are using their saved state' : 'Forget the checkpoints of this lesson\'s queries, so the next Run starts them from the beginning (needed after changing a query\'s windows, aggregations or other stateful steps)'}>Forget saved state</button>`}
          </div></sl-editor>
        </div>
      </div>
      <sl-panels @sl-panel-open=${(e: CustomEvent<PanelName>) => this.toggleAttribute('tall-panel', TALL_PANELS.includes(e.detail))} .state=${s} .omit=${kafkaOnly ? OMIT_FOR_KAFKA : s.serving.available && s.serving.lessonId === lesson.id ? NO_PANELS : NO_SERVING}></sl-panels>
      ${this.renderExport()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-lesson-view': SlLessonView;
  }
}
