/**
 * `<sl-topics-panel>`: Kafka topics with partitions (and end offsets when the runtime reports them), a
 * live tail of one topic (JSON values pretty-printed), and forms to create a topic and produce a record.
 * Intent events: `sl-topics-refresh`, `sl-tail` (topic), `sl-create-topic` ({topic, partitions}),
 * `sl-produce` ({topic, key, value, timestamp}), `sl-clear-topic` (topic).
 *
 * Clear asks first, in the panel (a clear cannot be undone): the row's Clear opens a line under it with
 * what will go and the buttons to clear or keep the records.
 *
 * While a run is active (`live`) the end offsets follow it: the panel asks for the topics every
 * `LIVE_REFRESH_MS` while it is open, and once more when the run ends. Idle, it asks only when opened
 * or when the learner presses ↻ (or produces, creates or clears).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TopicInfo, TopicRecord } from '../model/server-events.js';
import { sharedStyles } from '../elements/shared-styles.js';
import { prettyValue } from '../format/pretty-json.js';

/**
 * A topic name cut after each `.`, `_` and `-` (`sensors.` `temperature`): a narrow column wraps the name
 * between its parts, never inside a word.
 */
export function topicNameParts(name: string): string[] {
  return name.match(/[^._-]*(?:[._-]+|$)/g)!.filter((part) => part !== '');
}

/** Kafka's topic name characters; `-` escaped because input patterns use the `v` regex flag. */
const TOPIC_PATTERN = '[A-Za-z0-9._\\-]+';

/** How often an open panel asks for the topics while a run writes to them. */
export const LIVE_REFRESH_MS = 1500;

const fire = (el: HTMLElement, type: string, detail?: unknown) => el.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));

@customElement('sl-topics-panel')
export class SlTopicsPanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      /* The topics table keeps its Tail and Clear buttons in view at 1024 px (28rem), the tail the rest. */
      :host { display: grid; grid-template-columns: minmax(28rem, 1fr) minmax(0, 1.6fr); gap: 1rem; }
      section { min-width: 0; overflow-x: auto; }
      /* Names wrap only where topicNameParts put a <wbr>; a part wider than the column scrolls the section. */
      td.name { overflow-wrap: normal; word-break: normal; }
      @media (max-width: 800px) { :host { grid-template-columns: 1fr; } }
      h3 { font-size: 0.95rem; margin: 0 0 0.5rem; }
      form { display: grid; gap: 0.4rem; margin-top: 1rem; }
      label { display: grid; gap: 0.15rem; font-size: 0.85rem; }
      pre { margin: 0; white-space: pre-wrap; }
      /* Laid-out JSON has one member per line: a line never wraps, so a number stays beside its name
         (the records scroll sideways instead); other values wrap anywhere. */
      pre.json { white-space: pre; overflow-wrap: normal; word-break: normal; }
      pre.text { overflow-wrap: anywhere; }
      .status { font-size: 0.85rem; color: var(--sl-muted); }
      .records { max-height: 24rem; overflow: auto; }
      td.actions { white-space: nowrap; }
      td.actions button { padding: 0.1rem 0.4rem; font-size: 0.8rem; }
      .confirm { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; padding: 0.3rem 0.5rem; border-radius: 6px; background: var(--sl-surface-2); font-size: 0.85rem; }
    `,
  ];

  @property({ attribute: false }) topics: TopicInfo[] = [];
  @property({ attribute: false }) records: TopicRecord[] = [];
  @property() tailing: string | null = null;
  @property() produced: string | null = null;
  /** What the last Clear did, in words. */
  @property() note: string | null = null;
  /** A run is active: its records change the end offsets, so the panel keeps asking. */
  @property({ type: Boolean }) live = false;
  /** The topic whose Clear waits for the learner's answer. */
  @state() private confirming: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    fire(this, 'sl-topics-refresh');
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unfollow();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('live')) return;
    if (this.live) this.follow();
    else if (changed.get('live') === true) {
      // The run ended: its last records are in, show where the offsets stopped.
      this.unfollow();
      fire(this, 'sl-topics-refresh');
    }
  }

  private follow(): void {
    if (!this.live || this.timer !== null || !this.isConnected) return;
    this.timer = setInterval(() => fire(this, 'sl-topics-refresh'), LIVE_REFRESH_MS);
  }

  private unfollow(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private create(e: SubmitEvent): void {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    fire(this, 'sl-create-topic', { topic: String(form.get('name') ?? '').trim(), partitions: Number(form.get('partitions') ?? 1) });
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const ts = String(form.get('timestamp') ?? '').trim();
    const key = String(form.get('key') ?? '');
    fire(this, 'sl-produce', {
      topic: String(form.get('topic')),
      key: key === '' ? null : key,
      value: String(form.get('value') ?? ''),
      timestamp: ts === '' ? undefined : Number.isFinite(Number(ts)) ? Number(ts) : Date.parse(ts),
    });
  }

  private clear(topic: string): void {
    this.confirming = null;
    fire(this, 'sl-clear-topic', topic);
  }

  private confirmRow(t: TopicInfo) {
    const partitions = `${t.partitions} ${t.partitions === 1 ? 'partition stays' : 'partitions stay'}`;
    return html`<tr><td colspan="4"><div class="confirm" role="group" aria-label="Clear ${t.name}?">
      <span>Delete every record in ${t.name}? Its ${partitions}; a clear cannot be undone.</span>
      <button @click=${() => this.clear(t.name)}>Clear ${t.name}</button>
      <button @click=${() => (this.confirming = null)}>Keep the records</button>
    </div></td></tr>`;
  }

  protected override render() {
    return html`
      <section aria-label="Topics">
        <h3>Topics <button @click=${() => fire(this, 'sl-topics-refresh')} aria-label="Refresh topics">↻</button></h3>
        <table class="data">
          <thead><tr><th scope="col">Topic</th><th scope="col">Partitions</th><th scope="col">End offsets</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>${this.topics.map((t) => html`<tr><td class="name" title=${t.name}>${topicNameParts(t.name).map((part) => html`${part}<wbr>`)}</td><td>${t.partitions}</td><td>${t.endOffsets.length ? t.endOffsets.join(', ') : '—'}</td>
            <td class="actions"><button @click=${() => fire(this, 'sl-tail', t.name)} aria-pressed=${this.tailing === t.name} aria-label="Tail ${t.name}">Tail</button>
              <button @click=${() => (this.confirming = t.name)} aria-label="Clear ${t.name}" aria-expanded=${this.confirming === t.name}
                title="Delete the topic's records and keep its partitions (offsets go on from its end offsets)">Clear</button></td></tr>
            ${this.confirming === t.name ? this.confirmRow(t) : ''}`)}</tbody>
        </table>
        <p class="status" role="status" aria-label="Topic changes">${this.note ?? ''}</p>
        <form @submit=${this.create} aria-label="Create a topic">
          <h3>Create a topic</h3>
          <label>Name <input name="name" required pattern=${TOPIC_PATTERN} autocomplete="off" /></label>
          <label>Partitions <input name="partitions" type="number" min="1" max="64" value="1" required /></label>
          <button type="submit">Create topic</button>
        </form>
        <form @submit=${this.submit} aria-label="Produce a record">
          <h3>Produce a record</h3>
          <label>Topic <select name="topic" required>${this.topics.map((t) => html`<option>${t.name}</option>`)}</select></label>
          <label>Key <input name="key" autocomplete="off" /></label>
          <label>Value <textarea name="value" rows="3" spellcheck="false"></textarea></label>
          <label>Timestamp (epoch ms or ISO, optional) <input name="timestamp" autocomplete="off" /></label>
          <button type="submit">Produce</button>
          <span class="status" role="status">${this.produced ?? ''}</span>
        </form>
      </section>
      <section aria-label="Tail">
        <h3>${this.tailing ? html`Tailing ${this.tailing} (${this.records.length} ${this.records.length === 1 ? "record" : "records"})` : 'Choose a topic to tail'}</h3>
        <div class="records">
          <table class="data">
            <thead><tr><th scope="col">Partition</th><th scope="col">Offset</th><th scope="col">Timestamp</th><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
            <tbody>${[...this.records].reverse().map((r) => html`<tr><td>${r.partition}</td><td>${r.offset}</td><td>${new Date(r.timestampMs).toISOString()}</td>
              <td>${r.key ?? 'null'}</td><td>${valueCell(r.value)}</td></tr>`)}</tbody>
          </table>
        </div>
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-topics-panel': SlTopicsPanel;
  }
}

/** A record's value: JSON laid out one member per line, anything else as it came. */
function valueCell(value: string | null) {
  const shown = prettyValue(value);
  return html`<pre class=${shown === value ? 'text' : 'json'}>${shown}</pre>`;
}
