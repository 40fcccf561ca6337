/**
 * `<sl-timeline>`: draws the engine's batch traces. Structured runs: records as dots on an event-time
 * axis (lane and colour per key), window boxes with their running aggregate, the watermark line moving
 * batch by batch, late records hollow and red with the reason on hover, the selected batch's emitted
 * windows outlined. DStream runs: a processing-time axis with batch intervals. A range input scrubs
 * through batches; compare mode draws the previous run beside the current one. A run of several
 * queries shows one query at a time, picked by name (or by what an unnamed one writes to).
 *
 * All geometry comes from the pure layouts; this element only turns them into SVG.
 */
import { LitElement, css, html, svg, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { BatchEvent, DStreamTrace, StructuredTrace } from '../model/server-events.js';
import { sharedStyles } from '../elements/shared-styles.js';
import { dotPaths, groupingOf, layoutBatchTimeline, layoutStructuredTimeline, type Grouping } from './structured-layout.js';
import { layoutDStreamTimeline } from './dstream-layout.js';
import { formatTick } from './time-axis.js';
import { timelineQueries, type TimelineQuery } from './timeline-queries.js';

/** Traces of a batch list, one array per list so the layouts' per-run caches hit while scrubbing. */
const traceCache = new WeakMap<BatchEvent[], (StructuredTrace | DStreamTrace)[]>();
function tracesOf(batches: BatchEvent[]): (StructuredTrace | DStreamTrace)[] {
  let traces = traceCache.get(batches);
  if (!traces) traceCache.set(batches, (traces = batches.flatMap((b) => (b.trace ? [b.trace] : []))));
  return traces;
}

/** The run's queries, one list per batch list so the arrays (and the layouts' caches) stay the same. */
const queryCache = new WeakMap<BatchEvent[], TimelineQuery[]>();
function queriesOf(batches: BatchEvent[]): TimelineQuery[] {
  let queries = queryCache.get(batches);
  if (!queries) queryCache.set(batches, (queries = timelineQueries(batches)));
  return queries;
}

/** Filters by kind, again one array per input array and kind. */
const kindCache = { structured: new WeakMap<object, StructuredTrace[]>(), dstream: new WeakMap<object, DStreamTrace[]>() };
function structuredOf(traces: (StructuredTrace | DStreamTrace)[]): StructuredTrace[] {
  let list = kindCache.structured.get(traces);
  if (!list) kindCache.structured.set(traces, (list = traces.filter((t): t is StructuredTrace => t.kind === 'structured')));
  return list;
}
function dstreamOf(traces: (StructuredTrace | DStreamTrace)[]): DStreamTrace[] {
  let list = kindCache.dstream.get(traces);
  if (!list) kindCache.dstream.set(traces, (list = traces.filter((t): t is DStreamTrace => t.kind === 'dstream')));
  return list;
}

@customElement('sl-timeline')
export class SlTimeline extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; }
      /* Compact: the bar, the lanes, the axis and the legend fit the panel at 1024×700. */
      .queries { display: flex; flex-wrap: wrap; gap: 0.75rem; font-size: 0.85rem; }
      .bar { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: center; margin-bottom: 0.15rem; font-size: 0.9rem; }
      .bar label { display: inline-flex; align-items: center; gap: 0.3rem; }
      .bar button { padding: 0.1rem 0.45rem; }
      /* The scrubber gives way so a run's query picker shares its row. */
      .bar .scrub { flex: 1 1 10rem; max-width: 26rem; }
      .bar .scrub input { flex: 1; min-width: 0; }
      .views { display: grid; gap: 1rem; }
      .views.compare { grid-template-columns: 1fr 1fr; }
      figure { margin: 0; min-width: 0; }
      figcaption { font-size: 0.85rem; color: var(--sl-muted); margin-bottom: 0.25rem; }
      svg { display: block; width: 100%; overflow: visible; font-family: var(--sl-sans); }
      .lane-bg { fill: var(--sl-surface); }
      .lane-label { fill: var(--sl-text); font-size: 12px; }
      .axis text { fill: var(--sl-muted); font-size: 11px; }
      .axis line { stroke: var(--sl-border); }
      .window-box rect { fill-opacity: 0.14; stroke-width: 1.5; }
      .window-box.evicted rect { stroke-dasharray: 4 3; fill-opacity: 0.05; }
      .window-box.emitted rect { stroke: var(--sl-emit); stroke-width: 3; fill-opacity: 0.28; }
      .window-box text { fill: var(--sl-text); font-size: 11px; pointer-events: none; }
      .malformed { color: var(--sl-warn); font-weight: 600; cursor: help; }
      .watermark-line { stroke: var(--sl-watermark); stroke-width: 2; }
      .watermark-past { stroke: var(--sl-watermark); stroke-width: 1; stroke-dasharray: 2 4; opacity: 0.5; }
      .watermark-label { fill: var(--sl-watermark); font-size: 11px; font-weight: 600; }
      .dropped { fill: none; stroke: var(--sl-bad); stroke-width: 2; }
      .hit { fill: transparent; cursor: help; }
      .band { fill: var(--sl-surface); stroke: var(--sl-border); }
      .band.current { fill: var(--sl-surface-2); stroke: var(--sl-emit); stroke-width: 2; }
      .band-label { fill: var(--sl-muted); font-size: 11px; }
      .dstream-window { fill: none; stroke: var(--sl-accent); stroke-width: 2; }
      .legend { display: flex; flex-wrap: wrap; gap: 0 1rem; font-size: 0.8rem; color: var(--sl-muted); margin-top: 0.1rem; }
      .empty { color: var(--sl-muted); }
    `,
  ];

  /** Batches of the current run. */
  @property({ attribute: false }) batches: BatchEvent[] = [];
  /** Batches of the previous run, for compare mode. */
  @property({ attribute: false }) previousBatches: BatchEvent[] = [];
  /** Index of the batch shown; `null` follows the newest batch. */
  @state() private selected: number | null = null;
  @state() private compare = false;
  /** The query shown (its id); null shows the run's first. */
  @state() private queryId: string | null = null;
  @state() private width = 800;
  /** Height the drawing may take: what the panel leaves under the bar and above the legend. */
  @state() private room: number | undefined = undefined;
  private observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      if (entry.target !== this) continue;
      const w = Math.floor(entry.contentRect.width);
      if (w > 0 && Math.abs(w - this.width) > 4) this.width = w;
    }
    this.measureRoom();
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer.observe(this);
    // The panel the timeline sits in: its height is what the lanes shrink to fit.
    if (this.parentElement) this.observer.observe(this.parentElement);
  }

  protected override updated(): void {
    this.measureRoom();
  }

  /** The panel's inner height less everything but the drawing (bar, query picker, legend). */
  private measureRoom(): void {
    const panel = this.parentElement;
    const drawing = this.renderRoot.querySelector('figure svg');
    if (!panel || !drawing) return;
    const style = getComputedStyle(panel);
    const inner = panel.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const rest = this.getBoundingClientRect().height - drawing.getBoundingClientRect().height;
    const room = Math.floor(inner - rest);
    if (room > 0 && (this.room === undefined || Math.abs(room - this.room) > 2)) this.room = room;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer.disconnect();
  }

  protected override render() {
    const queries = queriesOf(this.batches);
    const shown = queries.find((q) => q.id === this.queryId) ?? queries[0];
    const earlier = queriesOf(this.previousBatches);
    const traces = tracesOf(shown?.batches ?? this.batches);
    const previous = tracesOf((earlier.find((q) => q.label === shown?.label) ?? earlier[0])?.batches ?? this.previousBatches);
    if (traces.length === 0 && !(this.compare && previous.length)) {
      return html`<p class="empty">No batches yet. Run the pipeline: each batch’s records, windows and watermark appear here.</p>
        ${previous.length ? this.compareToggle() : nothing}`;
    }
    const index = Math.min(this.selected ?? traces.length - 1, traces.length - 1);
    const comparing = this.compare && previous.length > 0;
    const width = comparing ? Math.floor((this.width - 16) / 2) : this.width;
    const current = traces[index];
    return html`
      <div class="bar">
        <button @click=${() => this.select(index - 1, traces.length)} ?disabled=${index <= 0} aria-label="Previous batch">◀</button>
        <label class="scrub">Batch <input type="range" min="0" max=${traces.length - 1} .value=${String(index)} aria-label="Batch"
          aria-valuetext="Batch ${current?.batchId ?? ''}" @input=${(e: Event) => this.select(Number((e.target as HTMLInputElement).value), traces.length)} /></label>
        <button @click=${() => this.select(index + 1, traces.length)} ?disabled=${index >= traces.length - 1} aria-label="Next batch">▶</button>
        <span aria-live="polite">Batch ${current?.batchId} of ${traces.length}${current?.kind === 'structured' ? this.watermarkText(current) : ''}</span>
        ${current?.kind === 'structured' ? this.malformedNote(current) : nothing}
        ${previous.length ? this.compareToggle() : nothing}
        ${queries.length > 1 ? this.queryPicker(queries, shown!) : nothing}
      </div>
      <div class="views ${comparing ? 'compare' : ''}">
        ${comparing ? this.view(previous, Math.min(index, previous.length - 1), width, 'Previous run') : nothing}
        ${this.view(traces, index, width, comparing ? 'This run' : null)}
      </div>
      ${this.legend(traces)}`;
  }

  /** What the marks mean, for the API and grouping drawn: no watermark talk where there is none. */
  private legend(traces: (StructuredTrace | DStreamTrace)[]) {
    if (traces[0]?.kind === 'dstream') {
      return html`<div class="legend" aria-label="Legend">
        <span>Batches are cut by arrival time: each box is one batch interval, with its record count</span>
        <span>● record, in the batch that received it (colour = key)</span>
        <span>▭ bracket: the window a windowed operation covered</span>
      </div>`;
    }
    const structured = structuredOf(traces);
    const grouping = groupingOf(structured);
    const watermark = structured.some((t) => t.hasWatermark !== false);
    if (grouping === 'key' || grouping === 'none') {
      return html`<div class="legend" aria-label="Legend">
        <span>No window: one column per batch${grouping === 'key' ? ', one lane per key' : ''}</span>
        <span>● record the batch read (colour = key)</span>
        <span>▭ the row the batch wrote: the running aggregate</span><span>thick outline: this batch</span>
      </div>`;
    }
    return html`<div class="legend" aria-label="Legend">
      <span>x: event time${grouping === 'window' ? '' : ' · one lane per key'}</span>
      <span>● record (colour = key)</span>
      <span>▭ window with running aggregate</span><span>▲ thick outline: emitted by this batch</span>
      ${watermark
        ? html`<span>○ red: dropped as late (hover for why)</span><span>dashed: evicted from state</span><span>red line: watermark</span>`
        : html`<span>No watermark: no record is late and no window leaves state</span>`}
    </div>`;
  }

  /** Records `from_json` could not read in this batch (they became nulls), with examples on hover. */
  private malformedNote(t: StructuredTrace) {
    const m = t.malformed;
    if (!m || m.total === 0) return nothing;
    const examples = m.sample.map((x) => `• ${x}`).join('\n');
    return html`<span class="malformed" title=${`from_json could not read ${m.total === 1 ? 'this record' : 'these records'} (PERMISSIVE mode gives nulls):\n${examples}${m.total > m.sample.length ? '\n…' : ''}`}>⚠ ${m.total} malformed ${m.total === 1 ? 'record' : 'records'}</span>`;
  }

  private watermarkText(t: StructuredTrace): string {
    if (t.hasWatermark === false) return '';
    return t.watermarkAfterMs > 0 ? ` · watermark ${formatTick(t.watermarkAfterMs, 1000)}` : ' · no watermark yet';
  }

  private queryPicker(queries: TimelineQuery[], shown: TimelineQuery) {
    return html`<div class="queries" role="radiogroup" aria-label="Query">
      ${queries.map((q) => html`<label><input type="radio" name="query" .checked=${q === shown}
        @change=${() => { this.queryId = q.id; this.selected = null; }} />${q.label}</label>`)}
    </div>`;
  }

  private compareToggle() {
    return html`<label><input type="checkbox" .checked=${this.compare} @change=${(e: Event) => (this.compare = (e.target as HTMLInputElement).checked)} />
      Compare with the previous run</label>`;
  }

  private select(index: number, count: number): void {
    const clamped = Math.max(0, Math.min(count - 1, index));
    this.selected = clamped === count - 1 ? null : clamped;
  }

  private view(traces: (StructuredTrace | DStreamTrace)[], index: number, width: number, caption: string | null) {
    const kind = traces[0]?.kind;
    const body = kind === 'dstream'
      ? this.dstream(dstreamOf(traces), index, width)
      : this.structured(structuredOf(traces), index, width);
    return html`<figure>${caption ? html`<figcaption>${caption} (${kind === 'dstream' ? 'DStream' : 'Structured Streaming'})</figcaption>` : nothing}${body}</figure>`;
  }

  private structured(traces: StructuredTrace[], index: number, width: number) {
    const grouping: Grouping = groupingOf(traces);
    const byBatch = grouping === 'key' || grouping === 'none';
    const viewport = { width, height: this.room };
    const layout = byBatch ? layoutBatchTimeline(traces, viewport, index) : layoutStructuredTimeline(traces, viewport, index);
    const noKey = grouping === 'window' ? 'all rows' : byBatch ? 'result' : '(no key)';
    const wm = layout.watermarks[layout.watermarks.length - 1];
    const axisY = layout.height - 24;
    const hits = layout.dots.filter((d) => d.dropped || d.current);
    return html`<svg role="img" viewBox="0 0 ${layout.width} ${layout.height}" height=${layout.height}
      aria-label=${byBatch
        ? `Timeline by batch up to batch ${layout.selectedBatchId}: ${layout.lanes.length} ${layout.lanes.length === 1 ? 'lane' : 'lanes'}, ${layout.windows.length} rows written, ${layout.dots.length} records`
        : `Event-time timeline up to batch ${layout.selectedBatchId}: ${layout.windows.length} windows, ${layout.dots.length} records, ${layout.dots.filter((d) => d.dropped).length} dropped as late`}>
      ${layout.lanes.map((l) => svg`<rect class="lane-bg" x="0" y=${l.y} width=${layout.width} height=${l.height - 2}></rect>
        <text class="lane-label" x="6" y=${l.y + 16}>${l.key || noKey}</text>`)}
      <g class="axis">
        <line x1=${layout.scale.rangeStart} x2=${layout.scale.rangeEnd} y1=${axisY} y2=${axisY}></line>
        ${layout.axis.map((a) => svg`<line x1=${a.x} x2=${a.x} y1=${axisY} y2=${axisY + 4}></line><text x=${a.x} y=${axisY + 16} text-anchor="middle">${a.label}</text>`)}
      </g>
      ${repeat(layout.windows, (w) => `${w.key}|${w.window.startMs}|${w.window.endMs}`, (w) => svg`<g class="window-box ${w.emitted ? 'emitted' : ''} ${w.evicted ? 'evicted' : ''}" data-key=${w.key} data-start=${w.window.startMs} data-end=${w.window.endMs}>
        <title>${byBatch ? `${w.key || 'result'}` : `${w.key} [${formatTick(w.window.startMs, 1000)}, ${formatTick(w.window.endMs, 1000)})`}: ${w.label}${w.emitted ? ' — emitted by this batch' : ''}${w.evicted ? ' — evicted from state' : ''}</title>
        <rect x=${w.x} y=${w.y} width=${w.width} height=${w.height} rx="3" style="fill:${w.color};stroke:${w.color}"></rect>
        ${w.width > 40 ? svg`<text x=${w.x + 4} y=${w.y + w.height - 5}>${clip(`${w.emitted ? '▲ ' : ''}${w.label}`, Math.floor((w.width - 8) / 6))}</text>` : nothing}
      </g>`)}
      ${dotPaths(layout.dots).map((p) => svg`<path d=${p.d} class=${p.dropped ? 'dropped' : ''} style=${p.dropped ? '' : `fill:${p.color}`} fill-opacity=${p.current ? 1 : 0.55}></path>`)}
      ${repeat(hits, (d) => `${d.batchId}|${d.key}|${d.eventTimeMs}|${d.x}`, (d) => svg`<circle class="hit" cx=${d.x} cy=${d.y} r="6"><title>${d.title}</title></circle>`)}
      ${layout.watermarks.slice(0, -1).map((m) => svg`<line class="watermark-past" x1=${m.x} x2=${m.x} y1="0" y2=${axisY}></line>`)}
      ${wm ? svg`<line class="watermark-line" x1=${wm.x} x2=${wm.x} y1="0" y2=${axisY}><title>Watermark after batch ${wm.batchId}: ${formatTick(wm.watermarkMs, 1000)}</title></line>
        <text class="watermark-label" x=${wm.x + 4} y=${axisY - 4}>watermark ${formatTick(wm.watermarkMs, 1000)}</text>` : nothing}
    </svg>
    ${layout.nullEventTimes ? html`<p class="muted">${layout.nullEventTimes} records had no event time (NULL) and are not drawn.</p>` : nothing}`;
  }

  private dstream(traces: DStreamTrace[], index: number, width: number) {
    const layout = layoutDStreamTimeline(traces, { width }, index);
    const axisY = layout.height - 24;
    return html`<svg role="img" viewBox="0 0 ${layout.width} ${layout.height}" height=${layout.height}
      aria-label="Processing-time timeline up to batch ${layout.selectedBatchId}: ${layout.bands.length} batches">
      ${layout.bands.map((b) => svg`<g><rect class="band ${b.current ? 'current' : ''}" x=${b.x} y="0" width=${b.width} height=${axisY}></rect>
        <text class="band-label" x=${b.x + 4} y="12">${b.label} (${b.records})</text></g>`)}
      ${layout.lanes.map((l) => svg`<text class="lane-label" x="6" y=${l.y + l.height / 2 + 4}>${l.key}</text>`)}
      ${layout.window ? svg`<rect class="dstream-window" x=${layout.window.x} y="16" width=${layout.window.width} height=${axisY - 20} rx="4"><title>${layout.window.label}</title></rect>` : nothing}
      ${dotPaths(layout.dots).map((p) => svg`<path d=${p.d} style="fill:${p.color}" fill-opacity=${p.current ? 1 : 0.55}></path>`)}
      <g class="axis">
        <line x1=${layout.scale.rangeStart} x2=${layout.scale.rangeEnd} y1=${axisY} y2=${axisY}></line>
        ${layout.axis.map((a) => svg`<text x=${a.x} y=${axisY + 16} text-anchor="middle">${a.label}</text>`)}
      </g>
    </svg>`;
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-timeline': SlTimeline;
  }
}
