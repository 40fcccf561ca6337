/**
 * Reads a view's own data from the runtime: one protocol request, sent through the enclosing
 * `<sl-session>` when the view connects and on `refresh()`, its typed reply (or the error, in words)
 * kept here, and the view re-rendered when it arrives. A panel that needs new server data declares
 * `new RequestController(this, 'db.tables', () => ({}))` and renders `value`; the session, its state
 * and the runtime client stay as they are.
 *
 *   connected → refresh → pending → value | error      (a later refresh wins over an earlier answer)
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientKind, ReplyOf, RequestFields } from '@streamlab/runtime/protocol';
import { findSession } from './session-controller.js';
import type { SlSession } from './sl-session.js';

/** The controller. */
export class RequestController<K extends ClientKind> implements ReactiveController {
  /** The last reply, or null before the first one. */
  value: ReplyOf<K> | null = null;
  /** Why the last request failed, in plain words; null after a reply. */
  error: string | null = null;
  /** True while a request is on its way. */
  pending = false;
  private session: SlSession | null = null;
  private latest = 0;

  /**
   * @param kind the request kind
   * @param fields the request's fields, read at each refresh
   */
  constructor(private readonly host: ReactiveControllerHost & HTMLElement, readonly kind: K, private readonly fields: () => RequestFields<K>) {
    host.addController(this);
  }

  hostConnected(): void {
    this.session = findSession(this.host);
    void this.refresh();
  }

  hostDisconnected(): void {
    this.session = null;
  }

  /** Asks again; resolves when the answer (or the error) is in. */
  async refresh(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const mine = ++this.latest;
    this.pending = true;
    this.host.requestUpdate();
    try {
      const value = await session.request(this.kind, this.fields());
      if (mine !== this.latest) return;
      this.value = value;
      this.error = null;
    } catch (e) {
      if (mine !== this.latest) return;
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === this.latest) {
        this.pending = false;
        this.host.requestUpdate();
      }
    }
  }
}
