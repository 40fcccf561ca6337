/**
 * `<sl-metrics-panel>`: six uPlot charts over batches (input and processed rows/s, batch duration,
 * state rows, rows dropped by the watermark, watermark lag). Charts are rebuilt when the batches change;
 * with at most a few hundred batches that is cheaper than diffing.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type uPlot from 'uplot';
import type { BatchEvent } from '../model/server-events.js';
import { chartStyles } from './chart-styles.js';
import { metricsSeries } from './metrics-series.js';

@customElement('sl-metrics-panel')
export class SlMetricsPanel extends LitElement {
  static override styles = [
    ...chartStyles,
    css`
      .empty { color: var(--sl-muted); }
    `,
  ];

  @property({ attribute: false }) batches: BatchEvent[] = [];
  private plots: uPlot[] = [];
  /** Bumped on every draw, so a draw that waited for uPlot to load does not run after a newer one. */
  private generation = 0;

  protected override render() {
    if (this.batches.length === 0) return html`<p class="empty">Metrics appear after the first batch.</p>`;
    if (this.batches.every((b) => b.trace?.kind === 'dstream')) {
      // A StreamingContext reports no query progress (rates, durations, state, watermark): that is
      // Structured Streaming's StreamingQueryProgress. What a DStream batch has is its record count.
      return html`<p>A DStream job reports no query progress (input rates, durations, state and watermark are Structured Streaming's). What each batch received:</p>
        <table class="data" aria-label="Records per DStream batch"><thead><tr><th scope="col">Batch</th><th scope="col">Batch time</th><th scope="col">Records</th></tr></thead>
        <tbody>${this.batches.map((b) => html`<tr><td>${b.batchId}</td><td>${b.progress.timestampMs !== undefined ? new Date(b.progress.timestampMs).toISOString().slice(11, 19) : ''}</td><td>${b.progress.numInputRows ?? 0}</td></tr>`)}</tbody></table>`;
    }
    const data = metricsSeries(this.batches);
    return html`<div class="grid">
      ${data.series.map((s) => {
        const last = [...s.values].reverse().find((v) => v !== null);
        return html`<figure><figcaption id="cap-${s.id}">${s.title}</figcaption>
          <div class="chart" data-id=${s.id} role="img" aria-labelledby="cap-${s.id}"
            aria-description="Latest value ${last ?? 'not reported'} ${s.unit} after batch ${data.x[data.x.length - 1]}"></div></figure>`;
      })}
    </div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('batches')) void this.draw();
  }

  /** Draws the charts with uPlot, which loads the first time a chart is drawn. */
  private async draw(): Promise<void> {
    const generation = ++this.generation;
    const { default: UPlot } = await import('uplot');
    if (generation !== this.generation || !this.isConnected) return;
    for (const p of this.plots) p.destroy();
    this.plots = [];
    if (this.batches.length === 0 || this.batches.every((b) => b.trace?.kind === 'dstream')) return;
    const data = metricsSeries(this.batches);
    const styles = getComputedStyle(this);
    const text = styles.getPropertyValue('--sl-muted').trim() || '#555';
    const grid = styles.getPropertyValue('--sl-border').trim() || '#ccc';
    const stroke = styles.getPropertyValue('--sl-accent').trim() || '#0b5cad';
    for (const s of data.series) {
      const host = this.renderRoot.querySelector<HTMLElement>(`.chart[data-id="${s.id}"]`);
      if (!host) continue;
      const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      this.plots.push(new UPlot({
        width: Math.max(280, host.clientWidth || 320),
        height: 160,
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'batch' }, { ...axis, label: s.unit, size: 56 }],
        series: [{ label: 'batch' }, { label: s.title, stroke, width: 2, points: { show: true, size: 6 }, spanGaps: false }],
        legend: { show: true },
      }, [data.x, s.values] as uPlot.AlignedData, host));
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.generation++;
    for (const p of this.plots) p.destroy();
    this.plots = [];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-metrics-panel': SlMetricsPanel;
  }
}
