/**
 * `<sl-panels>`: the tabbed panels under the editor (WAI-ARIA tabs: arrow keys move between tabs,
 * Home/End jump). Only the open panel is in the DOM, so hidden charts cost nothing. Opening a panel
 * fires `sl-panel-open` (its name) on the element.
 *
 * Output keeps its newest lines in view as a console does: while the learner is at the bottom of the
 * panel, new batches scroll it down; once they scroll up themselves, it stays where they put it until
 * they scroll back to the bottom (or open Output again). Nothing but the learner stops the following:
 * the panel changing size (a taller panel was open) or the browser moving the view keeps the newest line
 * in view.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SessionState } from '../session/session-state.js';
import { initialState, isActive } from '../session/session-state.js';
import { sharedStyles } from '../elements/shared-styles.js';
import './sl-output-panel.js';
import './sl-metrics-panel.js';
import './sl-topics-panel.js';
import './sl-database-panel.js';
import './sl-checks-panel.js';
import './sl-latency-panel.js';
import './sl-serving-panel.js';
import '../timeline/sl-timeline.js';

/** Tab names, as learners (and the e2e test) find them. */
export const PANELS = ['Output', 'Timeline', 'Metrics', 'Latency', 'Serving', 'Topics', 'Database', 'Checks'] as const;
/** A panel name. */
export type PanelName = (typeof PANELS)[number];

@customElement('sl-panels')
export class SlPanels extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; min-height: 0; }
      [role='tablist'] { display: flex; gap: 2px; border-bottom: 1px solid var(--sl-border); flex-wrap: wrap; }
      [role='tab'] { border: 1px solid transparent; border-bottom: none; border-radius: 4px 4px 0 0; background: transparent; color: var(--sl-muted); }
      [role='tab'][aria-selected='true'] { background: var(--sl-surface); color: var(--sl-text); border-color: var(--sl-border); font-weight: 600; }
      .badge { display: inline-block; min-width: 1.2em; padding: 0 0.3em; margin-left: 0.3em; border-radius: 1em; background: var(--sl-surface-2); font-size: 0.75rem; }
      [role='tabpanel'] { padding: 0.75rem; overflow: auto; flex: 1; }
    `,
  ];

  @property({ attribute: false }) state: SessionState = initialState();
  @state() active: PanelName = 'Output';
  /** Panels this lesson has no use for (not shown). */
  @property({ attribute: false }) omit: PanelName[] = [];
  /** Output follows its newest line (the learner has not scrolled up). */
  private following = true;
  /** The learner moved the panel themselves (wheel, touch, pointer, keys) since it last was at the bottom. */
  private moved = false;
  /** The Output panel whose growth is being followed. */
  private watched: Element | null = null;
  /** Output grew, or the panel itself changed size (another tab opened a taller panel and Output came back). */
  private readonly grown = new ResizeObserver(() => this.keepNewestInView());

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.grown.disconnect();
    this.watched = null;
  }

  private scroller(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('#panel');
  }

  private scrolled(): void {
    const panel = this.scroller();
    if (!panel || this.active !== 'Output') return;
    // Within a line of the bottom counts as at the bottom, and follows again.
    if (panel.scrollHeight - panel.scrollTop - panel.clientHeight < 24) {
      this.following = true;
      this.moved = false;
    } else if (this.moved) {
      this.following = false;
    } else {
      // Only the learner stops the following: a scroll they did not make (the browser anchoring the view
      // while lines above changed, the panel's own scroll landing after more output arrived) goes back down.
      this.keepNewestInView();
    }
  }

  /** Passive: it only notes that the learner scrolled, never holds the scroll up. */
  private readonly learnerMoved = { handleEvent: (): void => { this.moved = true; }, passive: true };

  private keepNewestInView(): void {
    const panel = this.scroller();
    if (!panel || this.active !== 'Output' || !this.following) return;
    panel.scrollTop = panel.scrollHeight;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    // The lesson view sizes the panels by the one open.
    if (changed.has('active')) this.dispatchEvent(new CustomEvent<PanelName>('sl-panel-open', { detail: this.active }));
    const output = this.active === 'Output' ? this.renderRoot.querySelector('sl-output-panel') : null;
    if (output === this.watched) return;
    this.grown.disconnect();
    this.watched = output;
    const panel = this.scroller();
    if (output && panel) {
      this.following = true;
      this.moved = false;
      this.grown.observe(output);
      this.grown.observe(panel);
    }
  }

  private visible(): PanelName[] {
    return PANELS.filter((p) => !this.omit.includes(p));
  }

  /** Opens a panel (used by Ctrl/Cmd shortcuts and after Check). */
  open(name: PanelName): void {
    this.active = name;
  }

  private key(e: KeyboardEvent): void {
    const panels = this.visible();
    const i = panels.indexOf(this.active);
    const next = e.key === 'ArrowRight' ? (i + 1) % panels.length
      : e.key === 'ArrowLeft' ? (i - 1 + panels.length) % panels.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? panels.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    this.active = panels[next]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.active}`)?.focus());
  }

  protected override render() {
    const s = this.state;
    const badge = (name: PanelName) => {
      if (name === 'Output' && s.batches.length) return html`<span class="badge">${s.batches.length}</span>`;
      if (name === 'Output' && s.errors.length) return html`<span class="badge" aria-label="errors">!</span>`;
      if (name === 'Checks' && s.checks.status === 'done') return html`<span class="badge">${s.checks.results.filter((r) => r.passed).length}/${s.checks.results.length}</span>`;
      return '';
    };
    return html`
      <div role="tablist" aria-label="Panels" @keydown=${this.key}>
        ${this.visible().map((name) => html`<button role="tab" id="tab-${name}" aria-selected=${name === this.active} aria-controls="panel"
          tabindex=${name === this.active ? 0 : -1} @click=${() => (this.active = name)}>${name}${badge(name)}</button>`)}
      </div>
      <div role="tabpanel" id="panel" aria-labelledby="tab-${this.active}" tabindex="0" @scroll=${this.scrolled}
        @wheel=${this.learnerMoved} @touchstart=${this.learnerMoved} @pointerdown=${this.learnerMoved} @keydown=${this.learnerMoved}>${this.panel()}</div>`;
  }

  protected override willUpdate(): void {
    if (this.omit.includes(this.active)) this.active = 'Output';
  }

  private panel() {
    const s = this.state;
    switch (this.active) {
      case 'Output':
        return html`<sl-output-panel .batches=${s.batches} .logs=${s.logs} .errors=${s.errors} status=${s.run.status} .queries=${s.run.queries} mode=${s.run.mode}></sl-output-panel>`;
      case 'Timeline':
        return html`<sl-timeline .batches=${s.batches} .previousBatches=${s.previousBatches}></sl-timeline>`;
      case 'Metrics':
        return html`<sl-metrics-panel .batches=${s.batches}></sl-metrics-panel>`;
      case 'Latency':
        return html`<sl-latency-panel .latency=${s.latency.current} .earlier=${s.latency.earlier}></sl-latency-panel>`;
      case 'Serving':
        return html`<sl-serving-panel .serving=${s.serving}></sl-serving-panel>`;
      case 'Topics':
        return html`<sl-topics-panel .topics=${s.topics} .records=${s.tail.records} .tailing=${s.tail.topic} .produced=${s.produced} .note=${s.topicNote} ?live=${isActive(s)}></sl-topics-panel>`;
      case 'Database':
        return html`<sl-database-panel .query=${s.query}></sl-database-panel>`;
      case 'Checks':
        return html`<sl-checks-panel .checks=${s.checks} ?disabled=${!s.lesson || s.connection.state !== 'open'}></sl-checks-panel>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-panels': SlPanels;
  }
}
