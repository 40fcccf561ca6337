/**
 * `<sl-editor>`: Monaco with one model per lesson file, shown as tabs. It renders and reports edits
 * (`sl-change`, debounced by the caller's autosave) and Ctrl/Cmd+Enter (`sl-run`); it does not save or
 * run anything itself.
 */
import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import monacoCss from '../../../node_modules/monaco-editor/min/vs/editor/editor.main.css?inline';
import type { SourceFile } from '@streamlab/runtime/protocol';
import type { RunError } from '../model/server-events.js';
import { monaco, monacoTheme } from './monaco-setup.js';

const uriOf = (path: string) => monaco.Uri.parse(`file:///lesson/${path}`);
/** Owner of the marks Run's errors put in the code. */
const RUN_MARKERS = 'streamlab-run';

@customElement('sl-editor')
export class SlEditor extends LitElement {
  static override styles = [
    unsafeCSS(monacoCss),
    css`
      :host { display: flex; flex-direction: column; min-height: 0; }
      /* The file tabs share their row with the code's actions (slot "actions"): no row of its own for either. */
      .bar { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 0.25rem 0.5rem; border-bottom: 1px solid var(--sl-border); }
      ::slotted([slot='actions']) { flex: 1 1 0; min-width: 0; }
      [role='tablist'] { display: flex; gap: 2px; }
      [role='tab'] {
        font: inherit; font-size: 0.85rem; padding: 0.3rem 0.8rem; border: 1px solid transparent; border-bottom: none;
        background: transparent; color: var(--sl-muted); cursor: pointer; border-radius: 4px 4px 0 0;
      }
      [role='tab'][aria-selected='true'] { background: var(--sl-surface); color: var(--sl-text); border-color: var(--sl-border); }
      [role='tab']:focus-visible { outline: 2px solid var(--sl-focus); outline-offset: -2px; }
      #c { flex: 1 1 0; min-height: 0; }
    `,
  ];

  /** Files to edit; setting a new array replaces the editor's contents. */
  @property({ attribute: false }) files: SourceFile[] = [];
  /** The last run's errors; those with a line are marked in the code until the next run. */
  @property({ attribute: false }) problems: RunError[] = [];
  @state() private active = 0;
  private editor: monaco.editor.IStandaloneCodeEditor | null = null;
  private models: monaco.editor.ITextModel[] = [];
  private applying = false;

  /** The files as currently edited. */
  getFiles(): SourceFile[] {
    return this.models.map((m, i) => ({ path: this.files[i]?.path ?? m.uri.path.replace(/^\/lesson\//, ''), content: m.getValue() }));
  }

  /** Puts the cursor on a learner's line (from an error link). */
  revealLine(path: string | undefined, line: number, column = 1): void {
    const index = path ? this.files.findIndex((f) => f.path === path || path.endsWith(f.path)) : this.active;
    if (index >= 0) this.select(index);
    this.editor?.revealLineInCenter(line);
    this.editor?.setPosition({ lineNumber: line, column });
    this.editor?.focus();
  }

  /** Moves keyboard focus into the editor. */
  override focus(): void {
    this.editor?.focus();
  }

  protected override render() {
    return html`
      <div class="bar">
        <div role="tablist" aria-label="Files">
          ${this.files.map(
            (f, i) => html`<button role="tab" id="tab-${i}" aria-selected=${i === this.active} aria-controls="c" tabindex=${i === this.active ? 0 : -1}
              @click=${() => this.select(i)} @keydown=${(e: KeyboardEvent) => this.tabKey(e, i)}>${f.path}</button>`,
          )}
        </div>
        <slot name="actions"></slot>
      </div>
      <div id="c" role="tabpanel" aria-label="Code editor"></div>
    `;
  }

  private tabKey(e: KeyboardEvent, i: number): void {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next = (i + (e.key === 'ArrowRight' ? 1 : -1) + this.files.length) % this.files.length;
    this.select(next);
    this.renderRoot.querySelector<HTMLElement>(`#tab-${next}`)?.focus();
  }

  private select(index: number): void {
    this.active = index;
    const model = this.models[index];
    if (model && this.editor && this.editor.getModel() !== model) this.editor.setModel(model);
  }

  protected override firstUpdated(): void {
    this.createEditor();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the DOM after a disconnect: the editor was disposed, build it again.
    if (this.hasUpdated && !this.editor) this.createEditor();
  }

  private createEditor(): void {
    const container = this.renderRoot.querySelector<HTMLElement>('#c')!;
    this.editor = monaco.editor.create(container, {
      language: 'typescript',
      theme: monacoTheme(),
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      scrollBeyondLastLine: false,
      // The lessons' longer lines wrap, indented under their start, instead of running under the
      // editor's right edge, where only a fragment of a word showed and a learner had to scroll sideways.
      wordWrap: 'on',
      wrappingIndent: 'indent',
      // The overview ruler (right edge) marks problems; the cursor's own mark there read as a stray dash.
      hideCursorInOverviewRuler: true,
      tabSize: 2,
      ariaLabel: 'Pipeline code. Control+Enter runs it; Control+M makes Tab move focus out of the editor.',
    });
    this.editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => {
      this.dispatchEvent(new CustomEvent('sl-run', { bubbles: true, composed: true }));
    });
    this.loadModels();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('files') && this.editor) this.loadModels();
    if ((changed.has('problems') || changed.has('files')) && this.editor) this.markProblems();
  }

  /** Marks the run's errors in their files; a mark the editor's own type check already shows is not doubled. */
  private markProblems(): void {
    this.models.forEach((model, i) => {
      const path = this.files[i]?.path ?? '';
      const own = monaco.editor.getModelMarkers({ resource: model.uri }).filter((m) => m.owner !== RUN_MARKERS);
      const markers = this.problems
        .filter((p) => p.line != null && (p.file == null ? i === this.active : p.file === path || p.file.endsWith(`/${path}`)))
        .filter((p) => !own.some((m) => m.startLineNumber === p.line && m.message === p.message))
        .map((p): monaco.editor.IMarkerData => {
          const line = Math.min(p.line!, model.getLineCount());
          const column = p.column ?? model.getLineFirstNonWhitespaceColumn(line) ?? 1;
          const word = model.getWordAtPosition({ lineNumber: line, column });
          return {
            severity: monaco.MarkerSeverity.Error,
            message: p.message,
            source: 'Run',
            startLineNumber: line,
            startColumn: column,
            endLineNumber: line,
            endColumn: word ? word.endColumn : model.getLineMaxColumn(line),
          };
        });
      monaco.editor.setModelMarkers(model, RUN_MARKERS, markers);
    });
  }

  private loadModels(): void {
    this.applying = true;
    for (const m of this.models) m.dispose();
    this.models = this.files.map((f) => {
      monaco.editor.getModel(uriOf(f.path))?.dispose();
      const model = monaco.editor.createModel(f.content, 'typescript', uriOf(f.path));
      model.onDidChangeContent(() => {
        // Run's marks point at lines as they were when it ran; an edit makes them stale.
        monaco.editor.setModelMarkers(model, RUN_MARKERS, []);
        if (!this.applying) this.dispatchEvent(new CustomEvent('sl-change', { detail: this.getFiles(), bubbles: true, composed: true }));
      });
      return model;
    });
    this.active = Math.min(this.active, Math.max(0, this.models.length - 1));
    this.editor?.setModel(this.models[this.active] ?? null);
    this.applying = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const m of this.models) m.dispose();
    this.models = [];
    this.editor?.dispose();
    this.editor = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-editor': SlEditor;
  }
}
