/**
 * `<sl-run-controls>`: Run, Stop, Step, the clock mode, the processing time and the manual advance.
 * It fires intent events (`sl-run`, `sl-stop`, `sl-crash`, `sl-step`, `sl-advance`, `sl-mode`); the lesson view acts.
 *
 * In manual mode the clock moves only when told: `Step` runs one batch, and `+N s` moves processing
 * time by one trigger interval, which is what makes a processing-time trigger fire. The interval is the
 * running query's (one button per interval when queries differ, see session/advance-steps.ts); the
 * interval picker shows only when no query has one.
 *
 * When the lesson plays data, a second row holds `Replay data` (`sl-replay`), one button per extra record
 * of the lesson (`sl-extra`, with its id) and the line that says what was played; the buttons work while
 * a run is running and otherwise say why not.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { queuedMessage, type ClockMode } from '@streamlab/runtime/protocol';
import type { RunStatus } from '../model/server-events.js';
import { advancePlan, type AdvancePlan } from '../session/advance-steps.js';
import type { DataButton, DataControls } from '../session/lesson-data.js';
import { sharedStyles } from './shared-styles.js';

/** Processing time as `HH:mm:ss` UTC, with the date when it is not the epoch day. */
export function formatClock(ms: number | null): string {
  if (ms === null) return '—';
  const iso = new Date(ms).toISOString();
  const time = iso.slice(11, 19);
  return ms < 86_400_000 ? `${time} (t = ${ms / 1000} s)` : `${iso.slice(0, 10)} ${time} UTC`;
}

const fire = (el: HTMLElement, type: string, detail?: unknown) =>
  el.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));

@customElement('sl-run-controls')
export class SlRunControls extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      /* Compact rows: every pixel this takes is an editor line less on a small window. */
      :host { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.4rem; padding: 0.15rem 0; }
      button, select { padding: 0.15rem 0.55rem; font-size: 0.85rem; }
      fieldset { border: none; display: inline-flex; gap: 0.25rem; padding: 0; margin: 0; align-items: center; }
      legend { float: left; margin-right: 0.4rem; font-size: 0.85rem; color: var(--sl-muted); }
      label { font-size: 0.85rem; color: var(--sl-muted); display: inline-flex; gap: 0.3rem; align-items: center; }
      .clock { font-family: var(--sl-mono); font-size: 0.85rem; }
      .status { font-size: 0.85rem; }
      /* Why the interval is the learner's choice: in what is left of the clock's line, cut short (whole on
         hover), never a line of its own above the editor (no width of its own when the line breaks). */
      .note { flex: 1 1 0; min-width: 0; font-size: 0.75rem; color: var(--sl-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .status.failed { color: var(--sl-bad); }
      .status.running { color: var(--sl-ok); }
      .data { flex: 1 1 100%; min-width: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.4rem; font-size: 0.85rem; }
      .data .what { color: var(--sl-muted); }
      /* What was played stays on the buttons' line (cut short, whole on hover): a line less above the editor. */
      .data .played { flex: 1 1 6rem; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      .data .played.failed { color: var(--sl-bad); }
    `,
  ];

  @property() status: RunStatus = 'idle';
  /** While `queued`: runs waiting ahead of this one on the runtime. */
  @property({ attribute: false }) ahead: number | undefined = undefined;
  @property() mode: ClockMode = 'system';
  @property({ attribute: false }) clockMs: number | null = null;
  @property({ type: Boolean }) canRun = false;
  @property({ type: Boolean }) active = false;
  /** Whether the lesson can be checked now (connected, a lesson open, no check going). */
  @property({ type: Boolean }) canCheck = false;
  /** A check is running or queued. */
  @property({ type: Boolean }) checking = false;
  /** Hide the clock, Step and Crash (a Kafka clients lesson has no streaming query to drive). */
  @property({ type: Boolean }) plain = false;
  /** The interval the learner picked for the manual advance when no query has one, ms. */
  @property({ type: Number }) intervalMs = 10_000;
  /** The advance buttons; without one, a single step of `intervalMs`. */
  @property({ attribute: false }) plan: AdvancePlan | null = null;
  /** The lesson-data row; null when the lesson plays no data. */
  @property({ attribute: false }) data: DataControls | null = null;

  protected override render() {
    const manual = this.mode === 'manual';
    const plan = this.plan ?? advancePlan([], [], this.intervalMs);
    return html`
      <button class="primary" @click=${() => fire(this, 'sl-run')} ?disabled=${!this.canRun} title=${this.active ? 'Run again with the code in the editor (Ctrl+Enter)' : 'Run (Ctrl+Enter)'} aria-keyshortcuts="Control+Enter Meta+Enter">Run</button>
      <button class="check" @click=${() => fire(this, 'sl-check')} ?disabled=${!this.canCheck || this.checking}
        title="Grade your code against the lesson's checks (they run on their own data, apart from your run)" aria-busy=${this.checking ? 'true' : 'false'}>Check</button>
      <button @click=${() => fire(this, 'sl-stop')} ?disabled=${!this.active}>Stop</button>
      ${this.plain ? html`<span class="status ${this.status}" role="status" aria-live="polite">${this.statusText()}</span>` : this.clockControls(manual, plan)}
      ${this.data ? this.dataControls(this.data) : ''}
    `;
  }

  private dataControls(data: DataControls) {
    const button = (b: DataButton, type: string, detail?: string) => html`<button @click=${() => fire(this, type, detail)}
      ?disabled=${!b.enabled} title=${b.title}>${b.label}</button>`;
    return html`<div class="data" role="group" aria-label="Lesson data">
      <span class="what">Lesson data:</span>
      ${button(data.replay, 'sl-replay')}
      ${data.extras.map((x) => button(x, 'sl-extra', x.id))}
      <span class="played ${data.line?.failed ? 'failed' : ''}" role="status" aria-live="polite" aria-label="Data played" title=${data.line?.text ?? ''}>${data.line?.text ?? ''}</span>
    </div>`;
  }

  /** The manual clock moves only once the pipeline runs: before, its queries do not exist yet. */
  private get stepping(): boolean {
    return this.status === 'running';
  }

  private stepTitle(title: string): string {
    return this.active && !this.stepping ? 'The pipeline is starting: the clock can move once it runs.' : title;
  }

  private statusText(): string {
    return this.status === 'idle' ? '' : this.status === 'queued' ? queuedMessage(this.ahead ?? 0) : this.status;
  }

  private clockControls(manual: boolean, plan: AdvancePlan) {
    return html`
      <button @click=${() => fire(this, 'sl-crash')} ?disabled=${!this.active}
        title="Kill the running queries right after their next batch is written, before it is committed; they restart from their checkpoints">Crash mid-batch</button>
      <button @click=${() => fire(this, 'sl-step')} ?disabled=${!this.stepping || !manual} title=${this.stepTitle('Run one micro-batch (manual clock)')}>Step</button>
      <fieldset>
        <legend>Clock</legend>
        <label><input type="radio" name="mode" value="system" .checked=${!manual} ?disabled=${this.active}
          @change=${() => fire(this, 'sl-mode', 'system')} />System</label>
        <label><input type="radio" name="mode" value="manual" .checked=${manual} ?disabled=${this.active}
          @change=${() => fire(this, 'sl-mode', 'manual')} />Manual</label>
      </fieldset>
      ${plan.chosen ? html`<label>Trigger interval
        <select aria-label="Trigger interval" @change=${(e: Event) => fire(this, 'sl-interval', Number((e.target as HTMLSelectElement).value))}>
          ${[1000, 2000, 5000, 10_000, 30_000, 60_000].map((ms) => html`<option value=${ms} ?selected=${ms === this.intervalMs}>${ms / 1000} s</option>`)}
        </select>
      </label>` : ''}
      ${plan.steps.map((step) => html`<button @click=${() => fire(this, 'sl-advance', step.ms)} ?disabled=${!this.stepping || !manual}
        aria-label=${step.label} title=${this.stepTitle(step.title)}>${step.label}</button>`)}
      <span class="clock" aria-label="Processing time">Processing time: ${formatClock(this.clockMs)}</span>
      <span class="status ${this.status}" role="status" aria-live="polite">${this.statusText()}</span>
      ${plan.note && manual ? html`<span class="note" title=${plan.note}>${plan.note}</span>` : ''}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-run-controls': SlRunControls;
  }
}
