/**
 * Connects a view to the nearest `<sl-session>`: re-renders the host when the session state changes.
 * Views read `controller.state` and call `controller.session` actions.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { initialState, type SessionState } from './session-state.js';
import { SESSION_CHANGE, type SlSession } from './sl-session.js';

/** Finds the session that encloses `node`, crossing shadow roots. */
export function findSession(node: Node): SlSession | null {
  let current: Node | null = node;
  while (current) {
    if (current instanceof HTMLElement && current.localName === 'sl-session') return current as SlSession;
    current = current.parentNode ?? (current instanceof ShadowRoot ? current.host : null);
  }
  return null;
}

/** The controller. */
export class SessionController implements ReactiveController {
  session: SlSession | null = null;
  private readonly onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  get state(): SessionState {
    return this.session?.state ?? initialState();
  }

  hostConnected(): void {
    this.session = findSession(this.host);
    this.session?.addEventListener(SESSION_CHANGE, this.onChange);
  }

  hostDisconnected(): void {
    this.session?.removeEventListener(SESSION_CHANGE, this.onChange);
    this.session = null;
  }
}
