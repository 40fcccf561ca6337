/**
 * `<sl-checks-panel>`: the Check button and the autograder's answer, one line per behaviour with the
 * reason in plain words and, when the runtime sends them, expected versus actual rows.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ChecksState } from '../session/session-state.js';
import { sharedStyles } from '../elements/shared-styles.js';

@customElement('sl-checks-panel')
export class SlChecksPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      ul { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
      li { border: 1px solid var(--sl-border); border-radius: 6px; padding: 0.5rem 0.75rem; }
      .pass { color: var(--sl-ok); font-weight: 600; }
      .fail { color: var(--sl-bad); font-weight: 600; }
      .rows { display: flex; gap: 1rem; flex-wrap: wrap; margin-top: 0.4rem; align-items: flex-start; }
      caption { text-align: left; font-weight: 600; }
      details pre { white-space: pre-wrap; font-size: 0.8rem; }
      .summary { font-weight: 600; }
      .message { white-space: pre-wrap; }
      p[role='status'] { margin: 0 0 0.5rem; }
    `,
  ];

  @property({ attribute: false }) checks: ChecksState = { status: 'idle', results: [] };
  @property({ type: Boolean }) disabled = false;

  protected override render() {
    const c = this.checks;
    const passed = c.results.filter((r) => r.passed).length;
    const scored = c.results.filter((r) => r.maxPoints !== undefined);
    const points = scored.length ? { got: scored.reduce((a, r) => a + (r.points ?? 0), 0), max: scored.reduce((a, r) => a + (r.maxPoints ?? 0), 0) } : null;
    return html`
      <p role="status" aria-live="polite">
        ${c.status === 'idle' && !c.results.length ? html`<span class="muted">Press Check (beside Run) to grade your code with the lesson's checks.</span>` : ''}
        ${c.status === 'running' ? c.queuePosition ? `Waiting for the checks of others (${c.queuePosition} ahead)…` : 'Checking…' : ''}
        ${c.status === 'done' ? html`<span class="summary">${passed} of ${c.results.length} checks passed</span>${points ? html` <span class="points">· ${points.got} of ${points.max} points</span>` : ''}` : ''}
        ${c.status === 'failed' ? html`<span class="fail">The checks could not run: ${c.error}</span>` : ''}
      </p>
      <ul aria-label="Check results">
        ${c.results.map((r) => html`<li>
          <span class=${r.passed ? 'pass' : 'fail'}>${r.passed ? '✓ Pass' : '✗ Fail'}</span> ${r.name}
          ${r.message ? html`<div class="message">${r.message}</div>` : ''}
          ${r.line ? html`<div><a href="#" @click=${(e: Event) => this.reveal(e, r.line!)}>Your code, line ${r.line}</a></div>` : ''}
          ${r.expected?.length || r.actual?.length ? html`<div class="rows">
            ${r.expected?.length ? this.rows('Expected, missing from yours', r.expected, r.columns) : ''}
            ${r.actual?.length ? this.rows('Yours, not expected', r.actual, r.columns) : ''}</div>` : ''}
          ${r.detail ? html`<details><summary>Details</summary><pre>${r.detail}</pre></details>` : ''}
        </li>`)}
      </ul>`;
  }

  private reveal(e: Event, line: number): void {
    e.preventDefault();
    this.dispatchEvent(new CustomEvent('sl-reveal', { detail: { line }, bubbles: true, composed: true }));
  }

  private rows(caption: string, rows: unknown[][], columns?: string[]) {
    return html`<table class="data"><caption>${caption}</caption>
      ${columns?.length ? html`<thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>` : ''}<tbody>
      ${rows.map((r) => html`<tr>${r.map((v) => html`<td>${v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>`)}</tr>`)}
    </tbody></table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-checks-panel': SlChecksPanel;
  }
}
