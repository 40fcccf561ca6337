/**
 * `<sl-batch-table>`: one micro-batch exactly as Spark's console sink prints it: the engine's own text
 * when the query writes to the console, otherwise the rows formatted by format/console-table.ts. The
 * text is the table; screen readers get it with its batch label.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BatchEvent } from '../model/server-events.js';
import { formatConsoleBatch } from '../format/console-table.js';

@customElement('sl-batch-table')
export class SlBatchTable extends LitElement {
  static override styles = css`
    :host { display: block; }
    pre { margin: 0 0 0.25rem; font-family: var(--sl-mono); font-size: 0.85rem; line-height: 1.35; overflow-x: auto; }
    .meta { font-size: 0.8rem; color: var(--sl-muted); margin-bottom: 0.75rem; }
    .dstream { font-size: 0.85rem; color: var(--sl-muted); margin-bottom: 0.35rem; }
  `;

  @property({ attribute: false }) batch: BatchEvent | null = null;
  /** The console sink's own text for this batch, when the query writes to the console. */
  @property({ attribute: false }) printed: string | null = null;

  protected override render() {
    const b = this.batch;
    if (!b) return html``;
    const p = b.progress;
    const capped = b.table.totalRows !== undefined && b.table.totalRows > b.table.rows.length;
    if (b.trace?.kind === 'dstream' && !this.printed) {
      // A DStream batch has no table of its own: what it printed (pprint) is in the console above.
      const n = p.numInputRows ?? 0;
      const at = p.timestampMs !== undefined ? new Date(p.timestampMs).toISOString().slice(11, 19) : '';
      return html`<div class="dstream" role="figure" aria-label="Batch ${b.batchId}">Batch ${b.batchId}${at ? ` at ${at}` : ''}: ${n} ${n === 1 ? 'record' : 'records'} received</div>`;
    }
    return html`<pre role="figure" aria-label="Batch ${b.batchId}${b.query ? ` of ${b.query}` : ''}">${this.printed?.replace(/\n+$/, '\n\n') ?? formatConsoleBatch(b.batchId, b.table)}</pre>
      <div class="meta">
        ${b.query ? html`${b.query} · ` : ''}${p.numInputRows ?? 0} input ${p.numInputRows === 1 ? 'row' : 'rows'}
        ${p.durationMs !== undefined ? html` · ${p.durationMs} ms` : ''}
        ${p.droppedByWatermark ? html` · ${p.droppedByWatermark} dropped as late` : ''}
        ${capped ? html` · showing ${b.table.rows.length} of ${b.table.totalRows} rows` : ''}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-batch-table': SlBatchTable;
  }
}
