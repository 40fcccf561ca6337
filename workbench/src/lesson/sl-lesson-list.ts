/** `<sl-lesson-list>`: the lessons with the learner's progress; choosing one fires `sl-open-lesson`. */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LessonApi } from '@streamlab/runtime/protocol';
import type { LessonSummary } from '../model/server-events.js';
import type { LessonProgress } from '../session/local-store.js';
import { sharedStyles } from '../elements/shared-styles.js';

/** How the list names each lesson API. */
const API_LABEL: Record<LessonApi, string> = { structured: 'Structured Streaming', dstream: 'DStreams', kafka: 'Kafka' };

@customElement('sl-lesson-list')
export class SlLessonList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host { display: block; max-width: 56rem; margin: 0 auto; padding: 1.5rem; }
      ol { list-style: none; padding: 0; display: grid; gap: 0.75rem; }
      a { display: block; padding: 0.9rem 1rem; border: 1px solid var(--sl-border); border-radius: 8px; background: var(--sl-surface);
        color: inherit; text-decoration: none; }
      a:hover { border-color: var(--sl-accent); }
      .title { font-weight: 600; font-size: 1.05rem; }
      .meta { font-size: 0.85rem; color: var(--sl-muted); display: flex; gap: 1rem; margin-top: 0.3rem; }
      .done { color: var(--sl-ok); font-weight: 600; }
    `,
  ];

  @property({ attribute: false }) lessons: LessonSummary[] = [];
  @property({ attribute: false }) progress: Record<string, LessonProgress> = {};
  @property({ type: Boolean }) loading = false;

  protected override render() {
    return html`<h1>Lessons</h1>
      ${this.loading && this.lessons.length === 0 ? html`<p class="muted">Loading lessons…</p>` : ''}
      <ol aria-label="Lessons">
        ${this.lessons.map((l) => {
          const p = this.progress[l.id];
          return html`<li>
            <a href="#/lesson/${encodeURIComponent(l.id)}">
              <div class="title">${l.title}</div>
              ${l.summary ? html`<div>${l.summary}</div>` : ''}
              <div class="meta">
                ${l.api ? html`<span>${API_LABEL[l.api]}</span>` : ''}
                ${l.duration ? html`<span>${l.duration}</span>` : ''}
                ${p?.checksPassed ? html`<span class="done">✓ Checks passed</span>` : p ? html`<span>In progress: step ${p.step + 1}</span>` : html`<span>Not started</span>`}
              </div>
            </a>
          </li>`;
        })}
      </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sl-lesson-list': SlLessonList;
  }
}
