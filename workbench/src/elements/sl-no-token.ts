/**
 * `<sl-no-token>`: shown when the page was opened without the runtime's token. The runtime executes
 * code, so it only answers pages that carry the one-time token it printed; say how to get it.
 */
import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { sharedStyles } from './shared-styles.js';

@customElement('sl-no-token')
export class SlNoToken extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: grid; place-items: center; min-height: 100vh; padding: 1rem; box-sizing: border-box; }
      main { max-width: 38rem; line-height: 1.5; }
      h1 { font-size: 1.5rem; }
      pre { background: var(--sl-surface); border: 1px solid var(--sl-border); border-radius: 6px; padding: 0.75rem; overflow-x: auto; }
    `,
  ];

  protected override render() {
    return html`<main>
      <h1>Open the URL printed by <code>streamlab start</code></h1>
      <p>This page needs the one-time token of your local Streamlab runtime. Start the runtime in a terminal:</p>
      <pre>npx streamlab start</pre>
      <p>It prints a line like</p>
      <pre>Streamlab ready: http://127.0.0.1:5170/?token=…</pre>
      <p>Open that exact address (with the <code>?token=</code> part). The token keeps other web pages from running code on your
        machine through the runtime.</p>
      <p class="muted">No runtime at hand? <a href="?replay=structured-windows">Watch a recorded session</a> instead.</p>
    </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-no-token': SlNoToken;
  }
}
