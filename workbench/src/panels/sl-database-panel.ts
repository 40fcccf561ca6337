/**
 * `<sl-database-panel>`: the runtime database's tables and a read-only SQL box with its result.
 * The tables are the panel's own request (`db.tables`); intent event: `sl-query` (sql). The runtime runs
 * queries in a read-only transaction, so the panel needs no guard of its own.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TableInfo } from '@streamlab/runtime/protocol';
import { RequestController } from '../session/request-controller.js';
import type { SessionState } from '../session/session-state.js';
import { sharedStyles } from '../elements/shared-styles.js';
import { formatSparkValue, parseSparkType } from '../format/spark-values.js';

const fire = (el: HTMLElement, type: string, detail?: unknown) => el.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));

@customElement('sl-database-panel')
export class SlDatabasePanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; grid-template-columns: minmax(12rem, 1fr) minmax(0, 3fr); gap: 1rem; }
      section { min-width: 0; overflow-wrap: anywhere; }
      @media (max-width: 800px) { :host { grid-template-columns: 1fr; } }
      h3 { font-size: 0.95rem; margin: 0 0 0.5rem; }
      ul { padding-left: 1rem; margin: 0; font-size: 0.85rem; }
      button.table { border: none; background: none; padding: 0; color: var(--sl-accent); text-decoration: underline; }
      textarea { width: 100%; box-sizing: border-box; font-family: var(--sl-mono); }
      .error { color: var(--sl-bad); }
      .result { overflow: auto; max-height: 24rem; margin-top: 0.25rem; }
      .result p { margin: 0 0 0.25rem; }
      form h3 { margin-bottom: 0.25rem; }
    `,
  ];

  @property({ attribute: false }) query: SessionState['query'] = { sql: '', status: 'idle' };
  private readonly tables = new RequestController(this, 'db.tables', () => ({}));
  private draft = '';

  private run(e: Event): void {
    e.preventDefault();
    const sql = this.renderRoot.querySelector('textarea')!.value.trim();
    if (sql) fire(this, 'sl-query', sql);
  }

  private pick(t: TableInfo): void {
    const area = this.renderRoot.querySelector('textarea')!;
    area.value = `SELECT * FROM ${t.schema === 'public' ? '' : `${t.schema}.`}${t.name} LIMIT 100`;
    this.draft = area.value;
    area.focus();
  }

  protected override render() {
    const q = this.query;
    return html`
      <section aria-label="Tables">
        <h3>Tables <button @click=${() => void this.tables.refresh()} aria-label="Refresh tables">↻</button></h3>
        ${this.tables.error ? html`<p class="error" role="alert">Could not list the tables: ${this.tables.error}</p>` : ''}
        ${this.tables.value?.tables.length === 0 ? html`<p class="muted">No tables yet.</p>` : ''}
        <ul>${(this.tables.value?.tables ?? []).map((t) => html`<li><button class="table" @click=${() => this.pick(t)}>${t.schema}.${t.name}</button>
          <span class="muted">${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')}</span></li>`)}</ul>
      </section>
      <section aria-label="Query">
        <form @submit=${this.run}>
          <label for="sql"><h3>Read-only SQL</h3></label>
          <textarea id="sql" rows="3" spellcheck="false" .value=${this.draft || q.sql}
            @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.stopPropagation(); this.run(e); } }}></textarea>
          <button type="submit" ?disabled=${q.status === 'running'}>Run query</button>
        </form>
        ${q.status === 'failed' ? html`<p class="error" role="alert">${q.error}</p>` : ''}
        ${q.result ? html`<div class="result">
          <p class="muted">${rowCount(q.result.totalRows ?? q.result.rows.length)}${q.result.truncated ? ` (showing ${q.result.rows.length})` : ''}</p>
          <table class="data"><thead><tr>${q.result.schema.map((c) => html`<th scope="col">${c.name}</th>`)}</tr></thead>
          <tbody>${q.result.rows.map((r) => html`<tr>${q.result!.schema.map((c, i) => html`<td>${formatSparkValue(r[i], parseSparkType(pgToSpark(c.type)))}</td>`)}</tr>`)}</tbody></table>
        </div>` : ''}
      </section>`;
  }
}

/** "1 row", "12 rows". */
function rowCount(n: number): string {
  return `${n} ${n === 1 ? 'row' : 'rows'}`;
}

/** PostgreSQL type names mapped onto the Spark names the value formatter knows. */
function pgToSpark(type: string): string {
  const t = type.toLowerCase();
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t === 'double precision' || t === 'float8' || t === 'real' || t === 'float4') return 'double';
  return t;
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-database-panel': SlDatabasePanel;
  }
}
