/**
 * `<sl-step-outline>`: the lesson's steps as a button that names the current one ("3/8 · Step 2: …",
 * wrapped over as many lines as the title needs, never cut) and opens the list of all steps under it.
 * A closed `<select>` cannot wrap, so a long title was cut in a narrow lesson column.
 *
 * Keyboard: Enter or Space on the button opens the list with the current step focused; Up/Down (Home/End)
 * move between steps; Enter or Space picks one; Escape closes the list and returns to the button; Tab
 * out of the list closes it. It renders and reports the chosen index (`sl-step`); it keeps no progress.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { sharedStyles } from '../elements/shared-styles.js';

@customElement('sl-step-outline')
export class SlStepOutline extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; position: relative; min-width: 0; }
      .toggle { display: flex; width: 100%; gap: 0.5rem; align-items: flex-start; text-align: left; font-size: inherit; white-space: normal; }
      .toggle .title { flex: 1 1 auto; min-width: 0; overflow-wrap: anywhere; }
      .toggle .caret { flex: none; }
      ol {
        position: absolute; z-index: 10; left: 0; right: 0; margin: 2px 0 0; padding: 0.25rem; list-style: none;
        background: var(--sl-bg, Canvas); border: 1px solid var(--sl-border); border-radius: 4px;
        box-shadow: 0 4px 12px rgb(0 0 0 / 0.2); max-height: 60vh; overflow: auto;
      }
      ol button { display: block; width: 100%; text-align: left; border: none; background: transparent; font-size: inherit; white-space: normal; }
      ol button[aria-current='step'] { font-weight: 600; background: var(--sl-surface-2); }
    `,
  ];

  /** The steps' titles, in order. */
  @property({ attribute: false }) titles: string[] = [];
  /** The index of the step shown. */
  @property({ type: Number }) current = 0;
  @state() private open = false;

  private label(i: number): string {
    return `${i + 1}/${this.titles.length} · ${this.titles[i] ?? ''}`;
  }

  protected override render() {
    return html`
      <button class="toggle" aria-haspopup="true" aria-expanded=${this.open} aria-controls="steps" aria-label=${`Lesson outline: step ${this.label(this.current)}`}
        @click=${() => this.setOpen(!this.open)}>
        <span class="title">${this.label(this.current)}</span><span class="caret" aria-hidden="true">${this.open ? '▴' : '▾'}</span>
      </button>
      ${this.open ? html`<ol id="steps" aria-label="Steps of this lesson" @keydown=${this.listKey} @focusout=${this.focusOut}
        @mousedown=${(e: MouseEvent) => e.preventDefault()}>
        ${this.titles.map((_, i) => html`<li><button aria-current=${i === this.current ? 'step' : 'false'} @click=${() => this.pick(i)}>${this.label(i)}</button></li>`)}
      </ol>` : ''}`;
  }

  private items(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('ol button')];
  }

  /** Opens the list with the current step focused, or closes it. */
  private setOpen(open: boolean): void {
    this.open = open;
    if (open) void this.updateComplete.then(() => this.items()[this.current]?.focus());
  }

  private pick(i: number): void {
    this.open = false;
    this.dispatchEvent(new CustomEvent('sl-step', { detail: i, bubbles: true, composed: true }));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.toggle')?.focus());
  }

  private listKey(e: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    const to = e.key === 'ArrowDown' ? Math.min(items.length - 1, at + 1)
      : e.key === 'ArrowUp' ? Math.max(0, at - 1)
        : e.key === 'Home' ? 0
          : e.key === 'End' ? items.length - 1
            : null;
    if (to != null) {
      e.preventDefault();
      items[to]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.open = false;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('.toggle')?.focus());
    }
  }

  /** Focus leaving the list for anything but the toggle (Tab, a click elsewhere) closes it. */
  private focusOut(e: FocusEvent): void {
    const to = e.relatedTarget as Node | null;
    if (to && this.renderRoot.contains(to)) return;
    this.open = false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-step-outline': SlStepOutline;
  }
}
