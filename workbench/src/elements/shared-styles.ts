/** Styles every element shares: buttons, inputs, focus rings, tables. Colours come from theme.css. */
import { css } from 'lit';

export const sharedStyles = css`
  :host { color: var(--sl-text); font-family: var(--sl-sans); }
  button, select, input, textarea {
    font: inherit; font-size: 0.9rem; color: var(--sl-text); background: var(--sl-surface);
    border: 1px solid var(--sl-border); border-radius: 4px; padding: 0.3rem 0.7rem;
  }
  button { cursor: pointer; }
  button:hover:not(:disabled) { background: var(--sl-surface-2); }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  button.primary, button.primary:hover:not(:disabled) { background: var(--sl-accent); color: var(--sl-accent-text); border-color: var(--sl-accent); }
  button.primary:hover:not(:disabled) { filter: brightness(1.1); }
  :focus-visible { outline: 2px solid var(--sl-focus); outline-offset: 2px; }
  table.data { border-collapse: collapse; font-family: var(--sl-mono); font-size: 0.85rem; }
  table.data th, table.data td { border: 1px solid var(--sl-border); padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
  table.data th { background: var(--sl-surface-2); }
  .muted { color: var(--sl-muted); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  pre, code { font-family: var(--sl-mono); }
`;
