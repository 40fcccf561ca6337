/**
 * `<sl-output-panel>`: the learner's console lines, then one console-sink table per batch, oldest first
 * as Spark's console appends them, then the errors (each linking to the learner's line): the newest
 * is at the bottom, where the panel keeps the view (see `<sl-panels>`). Type errors stop the run before
 * it prints anything, so they come first, under the line that says the code was not run.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ClockMode } from '@streamlab/runtime/protocol';
import type { BatchEvent, LogLine, RunError, RunQuery, RunStatus } from '../model/server-events.js';
import { firstBatchWait } from '../session/advance-steps.js';
import { sharedStyles } from '../elements/shared-styles.js';
import './sl-batch-table.js';

/** The start of a console-sink batch block. */
const CONSOLE_BATCH = /^-{43}\nBatch: (\d+)\n/;

@customElement('sl-output-panel')
export class SlOutputPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      .error { border-left: 4px solid var(--sl-bad); background: var(--sl-surface); padding: 0.5rem 0.75rem; margin-bottom: 0.5rem; }
      .error a { color: var(--sl-accent); font-family: var(--sl-mono); }
      .logs { white-space: pre-wrap; font-family: var(--sl-mono); font-size: 0.85rem; margin: 0 0 0.75rem; padding: 0.5rem; background: var(--sl-surface); border-radius: 4px; }
      .logs .warn { color: var(--sl-warn); }
      .logs .error { color: var(--sl-bad); border: none; padding: 0; margin: 0; background: none; }
      .empty { color: var(--sl-muted); }
      .not-run { margin: 0 0 0.5rem; font-weight: 600; }
      .message { white-space: pre-wrap; }
    `,
  ];

  @property({ attribute: false }) batches: BatchEvent[] = [];
  @property({ attribute: false }) logs: LogLine[] = [];
  @property({ attribute: false }) errors: RunError[] = [];
  /** Status of the run, to tell "not run yet" from "ran and printed nothing". */
  @property() status: RunStatus = 'idle';
  /** The run's queries and clock: what its first batch waits for. */
  @property({ attribute: false }) queries: Omit<RunQuery, 'runId'>[] = [];
  @property() mode: ClockMode = 'system';

  /** What the panel says before the run has printed anything: Output holds only the current run's. */
  private emptyText(): string {
    switch (this.status) {
      case 'queued':
        return 'The run waits for a free slot on the runtime; it starts when one is free.';
      case 'compiling':
        return 'Starting a new run: compiling your code…';
      case 'starting':
        return 'Starting a new run: its process is loading…';
      case 'running':
        return firstBatchWait(this.queries, this.mode);
      case 'stopping':
        return 'Stopping the run…';
      case 'stopped':
        return 'The run stopped before it printed anything.';
      case 'finished':
        return 'The run ended without output. Does the code start a query (`writeStream … .start()`) or print something?';
      default:
        return 'Press Run (Ctrl+Enter) to start the pipeline. Each micro-batch appears here as Spark’s console sink prints it.';
    }
  }

  private reveal(e: Event, error: RunError): void {
    e.preventDefault();
    this.dispatchEvent(new CustomEvent('sl-reveal', { detail: { file: error.file, line: error.line, column: error.column }, bubbles: true, composed: true }));
  }

  protected override render() {
    // The engine's console sink prints each batch itself, exactly as Spark does (it knows the column
    // types, which JSON rows lose: 21.0 vs 21). Show that text as the batch's table and not as a log line.
    const tabled = new Set(this.batches.map((b) => b.batchId));
    const printed = new Map<number, string>();
    const logs = this.logs.filter((l) => {
      const m = CONSOLE_BATCH.exec(l.text);
      if (!m || !tabled.has(Number(m[1]))) return true;
      printed.set(Number(m[1]), l.text);
      return false;
    });
    const typeErrors = this.errors.filter((e) => e.code === 'type-error').length;
    const errors = this.errors.map(
      (e) => html`<div class="error" role=${typeErrors ? 'listitem' : 'alert'}>
        <strong>${e.code === 'type-error' ? 'Type error' : html`Error${e.code ? html` <span class="muted">(${e.code})</span>` : ''}`}:</strong> <span class="message">${e.message}</span>
        ${e.line ? html`<div>at <a href="#" @click=${(ev: Event) => this.reveal(ev, e)}>${e.file ?? 'main.ts'}:${e.line}${e.column ? `:${e.column}` : ''}</a></div>` : ''}
      </div>`,
    );
    return html`
      ${typeErrors ? html`<p class="not-run" role="alert">Your code was not run: TypeScript found ${typeErrors === 1 ? 'a type error' : `${typeErrors} type errors`}. ${typeErrors === 1 ? 'It is' : 'They are'} marked in the editor too.</p>${errors}` : ''}
      ${logs.length
        ? html`<div class="logs" role="log" aria-label="Console">${logs.map((l) => html`<div class=${l.level}>${l.text}</div>`)}</div>`
        : ''}
      ${this.batches.length === 0 && this.errors.length === 0 && logs.length === 0 ? html`<p class="empty" role="status">${this.emptyText()}</p>` : ''}
      ${repeat(this.batches, (b) => `${b.query ?? ''}:${b.batchId}`, (b) => html`<sl-batch-table .batch=${b} .printed=${printed.get(b.batchId) ?? null}></sl-batch-table>`)}
      ${typeErrors ? '' : errors}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-output-panel': SlOutputPanel;
  }
}
