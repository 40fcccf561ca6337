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
import { sharedStyles } from '../elements/shared-styles.js';
import { renderMarkdown } from './render-markdown.js';
import type { SlEditor } from '../editor/sl-editor.js';
import type { SlPanels } from '../panels/sl-panels.js';
import '../elements/sl-run-controls.js';
import '../panels/sl-panels.js';

@customElement('sl-lesson-view')
export class SlLessonView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; grid-template-rows: minmax(20rem, 55vh) auto; gap: 0.5rem; padding: 0.5rem 1rem 1rem; }
      .top { display: grid; grid-template-columns: minmax(18rem, 2fr) 3fr; gap: 1rem; min-height: 0; }
      @media (max-width: 900px) { :host { grid-template-rows: auto auto; } .top { grid-template-columns: 1fr; } }
      article { overflow: auto; padding-right: 0.5rem; line-height: 1.55; }
      article h2 { font-size: 1.15rem; margin-top: 0.25rem; }
      article pre { background: var(--sl-surface); border: 1px solid var(--sl-border); border-radius: 6px; padding: 0.6rem; overflow-x: auto; font-size: 0.85rem; }
      article code { font-size: 0.9em; }
      article a { color: var(--sl-accent); }
      .steps { display: flex; align-items: center; gap: 0.5rem; font-size: 0.85rem; }
      .hints { margin-top: 1rem; border-top: 1px solid var(--sl-border); padding-top: 0.5rem; }
      .hints ol { padding-left: 1.25rem; }
      .code { display: flex; flex-direction: column; min-height: 0; }
      .toolbar { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
      .saved { font-size: 0.8rem; color: var(--sl-muted); }
      sl-editor { flex: 1; border: 1px solid var(--sl-border); }
      sl-panels { border: 1px solid var(--sl-border); border-radius: 6px; min-height: 16rem; }
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
  /** The last export: the PySpark program, or why there is none. */
  @state() private exported: { source: string; warnings: string[] } | { error: string } | null = null;
  @query('sl-editor') private editor!: SlEditor;
  @query('sl-panels') private panels!: SlPanels;
  private readonly session = new SessionController(this);
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    this.addEventListener('sl-run', () => void this.run());
    this.addEventListener('sl-stop', () => void this.session.session?.stop());
    this.addEventListener('sl-crash', () => void this.session.session?.crash());
    this.addEventListener('sl-step', () => void this.session.session?.step({ batches: 1 }));
    this.addEventListener('sl-advance', (e) => void this.session.session?.step({ advanceMs: (e as CustomEvent<number>).detail }));
    this.addEventListener('sl-mode', (e) => (this.mode = (e as CustomEvent<ClockMode>).detail));
    this.addEventListener('sl-interval', (e) => (this.intervalMs = (e as CustomEvent<number>).detail));
    this.addEventListener('sl-change', (e) => this.autosave((e as CustomEvent<SourceFile[]>).detail));
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
    }
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
    }, 300);
  }

  private async run(): Promise<void> {
    const s = this.session.state;
    if (!canRun(s)) return;
    this.panels?.open('Output');
    await this.session.session?.run(this.currentFiles(), this.mode);
  }

  private async check(): Promise<void> {
    await this.session.session?.check(this.currentFiles());
    this.panels?.open('Checks');
  }

  private resetToStarter(): void {
    if (!this.lesson) return;
    if (!confirm('Replace your code with the lesson’s starter code? Your changes will be lost.')) return;
    this.session.session?.store.clearCode(this.lesson.id);
    this.files = this.lesson.files.map((f) => ({ ...f }));
    this.savedAt = 'Reset to the starter code.';
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

  private showSolution(): void {
    if (!this.lesson?.solution) return;
    if (!confirm('Show the solution? It replaces the code in the editor (your version stays saved until you edit).')) return;
    this.files = this.lesson.solution.map((f) => ({ ...f }));
  }

  private goStep(step: number): void {
    if (!this.lesson) return;
    this.step = Math.max(0, Math.min(this.lesson.steps.length - 1, step));
    this.session.session?.store.saveProgress(this.lesson.id, { step: this.step });
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
    return html`
      <div class="top">
        <article aria-label="Lesson text">
          <nav class="steps" aria-label="Steps">
            <button @click=${() => this.goStep(this.step - 1)} ?disabled=${this.step === 0}>Previous</button>
            <span>Step ${this.step + 1} of ${steps}</span>
            <button @click=${() => this.goStep(this.step + 1)} ?disabled=${this.step >= steps - 1}>Next</button>
          </nav>
          <h2>${step.title}</h2>
          <div>${unsafeHTML(renderMarkdown(step.markdown))}</div>
          ${lesson.hints.length ? html`<section class="hints" aria-label="Hints">
            <ol>${lesson.hints.slice(0, this.hintsShown).map((h) => html`<li>${unsafeHTML(renderMarkdown(h))}</li>`)}</ol>
            <button @click=${this.nextHint} ?disabled=${this.hintsShown >= lesson.hints.length}>
              ${this.hintsShown === 0 ? 'Show a hint' : `Show another hint (${lesson.hints.length - this.hintsShown} left)`}</button>
          </section>` : ''}
        </article>
        <div class="code">
          <div class="toolbar">
            <sl-run-controls status=${s.run.status} .ahead=${s.run.ahead} mode=${isActive(s) ? s.run.mode : this.mode} .clockMs=${s.run.clockMs}
              ?canRun=${canRun(s)} ?active=${isActive(s)} intervalMs=${this.intervalMs}
              .plan=${advancePlan(s.run.queries, s.batches, this.intervalMs)}></sl-run-controls>
          </div>
          <div class="toolbar">
            <button @click=${this.resetToStarter}>Reset to starter</button>
            <button @click=${this.showSolution} ?disabled=${!lesson.solution} title=${lesson.solution ? '' : 'This lesson has no solution to show here'}>Show solution</button>
            <button @click=${this.exportPySpark} ?disabled=${lesson.api === 'kafka'} title=${lesson.api === 'kafka' ? 'This lesson has no Spark pipeline to export' : 'The pipeline as a PySpark program for a real Spark cluster'}>Export to PySpark</button>
            <span class="saved" role="status">${this.savedAt ?? ''}</span>
          </div>
          <sl-editor .files=${this.files} .problems=${s.errors}></sl-editor>
        </div>
      </div>
      <sl-panels .state=${s}></sl-panels>
      ${this.renderExport()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-lesson-view': SlLessonView;
  }
}
