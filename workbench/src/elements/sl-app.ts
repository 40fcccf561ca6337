/**
 * `<sl-app>`: the shell. Header with the connection badge, a notice banner for problems, the instructor's
 * comments (those on the open lesson, or all of them on the lesson list), and either the
 * lesson list or one lesson, chosen by the URL hash (`#/lesson/<id>`) so the back button and reloads work.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { SessionController } from '../session/session-controller.js';
import { sharedStyles } from './shared-styles.js';
import './sl-connection-status.js';
import '../lesson/sl-lesson-list.js';
import '../lesson/sl-lesson-view.js';

/** The lesson id in a hash like `#/lesson/04-structured-windows`, or null for the list. */
export function lessonFromHash(hash: string): string | null {
  const m = /^#\/lesson\/(.+)$/.exec(hash);
  return m ? decodeURIComponent(m[1]!) : null;
}

@customElement('sl-app')
export class SlApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: flex; flex-direction: column; height: 100vh; }
      header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1rem; border-bottom: 1px solid var(--sl-border); background: var(--sl-surface); }
      header a { color: inherit; text-decoration: none; font-weight: 700; }
      header .title { flex: 1; font-size: 0.95rem; color: var(--sl-muted); }
      .comment { display: flex; gap: 1rem; align-items: center; padding: 0.5rem 1rem; background: var(--sl-surface-2); border-bottom: 2px solid var(--sl-accent, #3b6fd8); }
      .comment .text { flex: 1; white-space: pre-wrap; }
      .notice { display: flex; gap: 1rem; align-items: center; padding: 0.5rem 1rem; background: var(--sl-surface-2); border-bottom: 2px solid var(--sl-bad); }
      main { flex: 1; min-height: 0; overflow: auto; }
      .skip { position: absolute; left: -999px; }
      .skip:focus { left: 0.5rem; top: 0.5rem; background: var(--sl-bg); padding: 0.25rem 0.5rem; z-index: 10; }
    `,
  ];

  private readonly session = new SessionController(this);
  @state() private lessonId: string | null = lessonFromHash(location.hash);
  private readonly onHash = () => {
    this.lessonId = lessonFromHash(location.hash);
    void this.session.session?.openLesson(this.lessonId);
  };
  private requested: string | null | undefined = undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.onHash);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
  }

  protected override willUpdate(): void {
    // Open the lesson named by the URL once the runtime is reachable (after a reload, too).
    const s = this.session.state;
    if (s.connection.state === 'open' && this.requested !== this.lessonId) {
      this.requested = this.lessonId;
      void this.session.session?.openLesson(this.lessonId);
    }
  }

  protected override render() {
    const s = this.session.state;
    const lesson = this.lessonId && s.lesson?.id === this.lessonId ? s.lesson : null;
    const store = this.session.session?.store;
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector<HTMLElement>('main')?.focus(); }}>Skip to content</a>
      <header>
        <a href="#/">Streamlab</a>
        <span class="title">${lesson ? lesson.title : this.lessonId ? '' : 'Lessons'}</span>
        <sl-connection-status .connection=${s.connection} @sl-reconnect=${() => this.session.session?.reconnectNow()}></sl-connection-status>
      </header>
      ${s.notice ? html`<div class="notice" role="alert"><span>${s.notice}</span>
        <button @click=${() => this.session.session?.dismissNotice()}>Dismiss</button></div>` : ''}
      ${s.comments.list.filter((c) => !s.comments.dismissed.includes(c.commentId) && (!lesson || c.lessonId === lesson.id)).map((c) => html`
        <aside class="comment" role="status" aria-label="Comment from your instructor" data-comment=${c.commentId}>
          <strong>Your instructor, on lesson ${c.lessonId}:</strong><span class="text">${c.text}</span>
          <button @click=${() => this.session.session?.dismissComment(c.commentId)}>Dismiss</button></aside>`)}
      <main id="main" tabindex="-1">
        ${this.lessonId
          ? html`<sl-lesson-view .lesson=${lesson}></sl-lesson-view>`
          : html`<sl-lesson-list .lessons=${s.lessons} .progress=${store?.allProgress() ?? {}} ?loading=${s.connection.state !== 'open'}></sl-lesson-list>`}
      </main>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-app': SlApp;
  }
}
