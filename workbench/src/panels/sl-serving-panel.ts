/**
 * `<sl-serving-panel>`: the serving layer of a lambda lesson as its web page would show it — the DAX
 * close against each country's weekly cases, and the rolling correlation of the two, drawn with uPlot
 * (loaded when the panel first draws), weeks answered by the speed view shaded. Below the charts, the
 * answer as a table and how the runtime's answer cache served it. The session asks again whenever new
 * data may have committed, so the charts move as the announced days arrive.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type uPlot from 'uplot';
import type { ServingState } from '../session/session-state.js';
import { chartStyles } from './chart-styles.js';
import { servingSeries, type ServingSeries } from './serving-series.js';

const COLORS = ['#0b5cad', '#c2410c', '#15803d', '#7c3aed', '#b91c1c', '#0e7490'];
const WEEK_S = 7 * 86_400;

const fmt = (v: number | null, digits = 0) => (v === null ? '' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

@customElement('sl-serving-panel')
export class SlServingPanel extends LitElement {
  static override styles = [
    ...chartStyles,
    css`
      :host { --sl-chart-min: 380px; }
      .muted { color: var(--sl-muted); }
      .speed { background: color-mix(in srgb, var(--sl-accent, #0b5cad) 12%, transparent); }
      table { margin-top: 1rem; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
    `,
  ];

  @property({ attribute: false }) serving: ServingState = { lessonId: null, available: false, answer: null, error: null };
  private plots: uPlot[] = [];
  /** Bumped on every draw, so a draw that waited for uPlot to load does not run after a newer one. */
  private generation = 0;

  protected override render() {
    const { answer, error } = this.serving;
    const alert = error ? html`<p role="alert">${error}</p>` : '';
    if (!answer) return html`${alert}<p class="muted">The serving layer answers once the lesson's code has made its serving view: press Run.</p>`;
    const data = servingSeries(answer);
    const count = (layer: string) => data.layers.filter((l) => l === layer).length;
    const c = answer.cache;
    return html`${alert}
      <p role="status" aria-label="Serving answer">
        ${data.weeks.length ? `Weeks ${data.weeks[0]} to ${data.weeks[data.weeks.length - 1]}: ${count('batch')} from the batch view, ${count('speed')} from the speed view (shaded).` : 'The serving view has no rows yet.'}
        ${answer.truncated ? `The view has more rows than the serving layer sends: the first ${answer.rows.length} are shown.` : ''}
        Cache: ${c.status} (${plural(c.hits, 'hit')}, ${plural(c.misses, 'miss', 'misses')}, ${plural(c.invalidations, 'invalidation')}).
      </p>
      <div class="grid">
        <figure><figcaption id="cap-dax">DAX close against weekly cases</figcaption>
          <div class="chart" data-id="dax" role="img" aria-labelledby="cap-dax"
            aria-description=${`${data.countries.join(', ')}: weekly cases; DAX: the close of each week's last trading day`}></div></figure>
        <figure><figcaption id="cap-corr">Correlation of the DAX close with cases, last ${answer.rollingWeeks} weeks</figcaption>
          <div class="chart" data-id="corr" role="img" aria-labelledby="cap-corr"
            aria-description=${data.countries.map((country, i) => `${country} ${fmt(lastOf(data.corr[i]!), 2) || 'not defined yet'}`).join('; ')}></div></figure>
      </div>
      <table class="data" aria-label="Serving view">
        <thead><tr><th scope="col">Week</th><th scope="col">Country</th><th scope="col">Layer</th><th scope="col">Cases</th><th scope="col">Deaths</th><th scope="col">DAX</th><th scope="col">Correlation</th></tr></thead>
        <tbody>${answer.rows.map((r) => html`<tr class=${r.layer === 'speed' ? 'speed' : ''}><td>${r.week}</td><td>${r.country}</td><td>${r.layer ?? ''}</td>
          <td class="num">${fmt(r.cases)}</td><td class="num">${fmt(r.deaths)}</td><td class="num">${fmt(r.dax, 2)}</td><td class="num">${fmt(r.rollingCorr, 3)}</td></tr>`)}</tbody>
      </table>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('serving')) void this.draw();
  }

  private async draw(): Promise<void> {
    const generation = ++this.generation;
    const answer = this.serving.answer;
    if (!answer || answer.rows.length === 0) return this.clear();
    const { default: UPlot } = await import('uplot');
    if (generation !== this.generation || !this.isConnected) return;
    this.clear();
    const data = servingSeries(answer);
    const styles = getComputedStyle(this);
    const text = styles.getPropertyValue('--sl-muted').trim() || '#555';
    const grid = styles.getPropertyValue('--sl-border').trim() || '#ccc';
    const shade = styles.getPropertyValue('--sl-surface-2').trim() || 'rgba(11, 92, 173, 0.1)';
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const host = (id: string) => this.renderRoot.querySelector<HTMLElement>(`.chart[data-id="${id}"]`);
    const countrySeries = (values: string) => data.countries.map((country, i) => ({ label: `${country} ${values}`, stroke: COLORS[i % COLORS.length]!, width: 2, points: { show: true, size: 5 } }));
    const speedShading = shadeWeeks(data, shade);
    const daxHost = host('dax');
    if (daxHost) {
      this.plots.push(new UPlot({
        width: Math.max(360, daxHost.clientWidth || 420), height: 220,
        scales: { x: { time: true }, cases: { auto: true }, dax: { auto: true } },
        axes: [{ ...axis }, { ...axis, scale: 'cases', label: 'cases per week', size: 64 }, { ...axis, scale: 'dax', side: 1, label: 'DAX', size: 64, grid: { show: false } }],
        series: [{ label: 'week' }, ...countrySeries('cases').map((s) => ({ ...s, scale: 'cases' })), { label: 'DAX close', scale: 'dax', stroke: text, width: 2, dash: [6, 4] }],
        hooks: { drawClear: [speedShading] },
      }, [data.x, ...data.cases, data.dax] as uPlot.AlignedData, daxHost));
    }
    const corrHost = host('corr');
    if (corrHost) {
      this.plots.push(new UPlot({
        width: Math.max(360, corrHost.clientWidth || 420), height: 220,
        scales: { x: { time: true }, y: { auto: false, range: [-1, 1] } },
        axes: [{ ...axis }, { ...axis, label: 'correlation', size: 56 }],
        series: [{ label: 'week' }, ...countrySeries('correlation')],
        hooks: { drawClear: [speedShading] },
      }, [data.x, ...data.corr] as uPlot.AlignedData, corrHost));
    }
  }

  private clear(): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.generation++;
    this.clear();
  }
}

/** The last defined value of a series. */
function lastOf(values: (number | null)[]): number | null {
  return [...values].reverse().find((v) => v !== null) ?? null;
}

/** A uPlot hook that shades the weeks the speed view answered, behind the series. */
function shadeWeeks(data: ServingSeries, fill: string): (u: uPlot) => void {
  return (u) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = fill;
    data.x.forEach((x, i) => {
      if (!data.layers[i]!.includes('speed')) return;
      const left = u.valToPos(x - WEEK_S / 2, 'x', true);
      const right = u.valToPos(x + WEEK_S / 2, 'x', true);
      ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
    });
    ctx.restore();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-serving-panel': SlServingPanel;
  }
}
