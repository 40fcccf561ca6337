/**
 * `<sl-latency-panel>`: how long each record took from the moment it was produced to Kafka to the
 * moment it reached the sink, per pipeline of the run — a micro-batch query (when its batch was
 * written) or a flow (when the element reached the end of the stream) — as p50, p95, p99, a histogram,
 * and each pipeline's start-up time; below, the same figures from earlier runs, to compare triggers.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { PipelineLatency, RunLatency } from '../model/server-events.js';
import { sharedStyles } from '../elements/shared-styles.js';

/** Milliseconds as a learner reads them: `0.4 ms`, `37 ms`, `1.25 s`. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** A bucket's label: `≤ 5 ms`, `≤ 1 s`, `> 50 s`. */
function bucketLabel(bucketsMs: readonly number[], i: number): string {
  if (i >= bucketsMs.length) return `> ${formatMs(bucketsMs[bucketsMs.length - 1] ?? 0)}`;
  return `≤ ${formatMs(bucketsMs[i]!).replace('.0 ms', ' ms')}`;
}

@customElement('sl-latency-panel')
export class SlLatencyPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
      th, td { padding: 0.2rem 0.6rem; text-align: right; border-bottom: 1px solid var(--sl-border); }
      th:first-child, td:first-child { text-align: left; }
      .kind { color: var(--sl-muted); font-size: 0.85em; }
      .histograms { display: flex; flex-wrap: wrap; gap: 1.5rem; margin-top: 1rem; }
      figure { margin: 0; }
      figcaption { font-weight: 600; margin-bottom: 0.3rem; }
      .bars { display: grid; grid-template-columns: max-content 12rem max-content; gap: 2px 0.5rem; align-items: center; font-size: 0.8rem; }
      .bar { height: 0.7rem; background: var(--sl-accent, #3b82f6); border-radius: 2px; min-width: 1px; }
      .muted { color: var(--sl-muted); }
      h3 { font-size: 0.95rem; margin: 1.2rem 0 0.4rem; }
    `,
  ];

  /** The current run's latency (null before its first measured record). */
  @property({ attribute: false }) latency: RunLatency | null = null;
  /** Earlier runs, newest first. */
  @property({ attribute: false }) earlier: RunLatency[] = [];

  private table(pipelines: readonly PipelineLatency[], label: string) {
    return html`<table aria-label=${label}>
      <thead><tr><th>Pipeline</th><th>records</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>start-up</th></tr></thead>
      <tbody>${pipelines.map((p) => html`<tr>
        <td>${p.name} <span class="kind">${p.kind}</span></td>
        <td>${p.count}</td><td>${formatMs(p.p50)}</td><td>${formatMs(p.p95)}</td><td>${formatMs(p.p99)}</td><td>${formatMs(p.max)}</td>
        <td>${formatMs(p.startupMs)}</td>
      </tr>`)}</tbody>
    </table>`;
  }

  private histogram(p: PipelineLatency, bucketsMs: readonly number[]) {
    const peak = Math.max(1, ...p.histogram);
    // Only the buckets from the first to the last non-empty one.
    const first = p.histogram.findIndex((n) => n > 0);
    const last = p.histogram.length - 1 - [...p.histogram].reverse().findIndex((n) => n > 0);
    const shown = first < 0 ? [] : p.histogram.slice(first, last + 1).map((n, k) => ({ n, i: first + k }));
    return html`<figure aria-label="Latency histogram of ${p.name}">
      <figcaption>${p.name}</figcaption>
      <div class="bars">${shown.map(({ n, i }) => html`
        <span>${bucketLabel(bucketsMs, i)}</span>
        <span><span class="bar" style="display:block;width:${(100 * n) / peak}%"></span></span>
        <span>${n}</span>`)}</div>
    </figure>`;
  }

  protected override render() {
    const current = this.latency;
    return html`
      ${current && current.pipelines.length > 0
        ? html`${this.table(current.pipelines, 'Latency of this run')}
          <div class="histograms">${current.pipelines.map((p) => this.histogram(p, current.bucketsMs))}</div>`
        : html`<p class="muted">No latency yet. Each record read from Kafka is timed from the moment it was produced to the moment it reaches the sink:
          a micro-batch query's when its batch is written, a flow's when the element reaches the end of the stream.</p>`}
      ${this.earlier.length > 0
        ? html`<h3>Earlier runs</h3>${this.earlier.map((r, i) => html`<p class="muted">${i === 0 ? 'The run before' : `${i + 1} runs before`}</p>${this.table(r.pipelines, `Latency ${i + 1} runs before`)}`)}`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-latency-panel': SlLatencyPanel;
  }
}
