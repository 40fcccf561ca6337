/**
 * `<sl-connection-status>`: the runtime connection as a badge, announced politely when it changes.
 * While reconnecting it offers `Reconnect now` (fires `sl-reconnect`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionInfo } from '../client/runtime-client.js';

const LABEL: Record<ConnectionInfo['state'], string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
  unauthorized: 'Token refused',
};

@customElement('sl-connection-status')
export class SlConnectionStatus extends LitElement {
  static override styles = css`
    :host { display: inline-flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; }
    .dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; background: var(--sl-muted); }
    .open .dot { background: var(--sl-ok); }
    .reconnecting .dot, .connecting .dot { background: var(--sl-warn); }
    .unauthorized .dot, .closed .dot { background: var(--sl-bad); }
    .message { color: var(--sl-muted); }
    button { font: inherit; font-size: 0.8rem; color: var(--sl-text); background: var(--sl-surface); border: 1px solid var(--sl-border); border-radius: 4px; padding: 0.1rem 0.5rem; cursor: pointer; }
    button:focus-visible { outline: 2px solid var(--sl-focus); outline-offset: 2px; }
  `;

  @property({ attribute: false }) connection: ConnectionInfo = { state: 'closed', attempt: 0 };

  protected override render() {
    const c = this.connection;
    return html`<span class=${c.state} role="status" aria-live="polite" title=${c.message ?? ''}>
      <span class="dot" aria-hidden="true"></span> Runtime: ${LABEL[c.state]}
      ${c.message && c.state !== 'open' ? html`<span class="message">${c.message}</span>` : ''}
      ${c.state === 'open' && c.reconnected ? html`<span class="message">(reconnected)</span>` : ''}
      ${c.state === 'open' && c.message && !c.reconnected ? html`<span class="message">${c.message}</span>` : ''}
    </span>
    ${c.state === 'reconnecting'
      ? html`<button @click=${() => this.dispatchEvent(new CustomEvent('sl-reconnect', { bubbles: true, composed: true }))}>Reconnect now</button>`
      : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-connection-status': SlConnectionStatus;
  }
}
