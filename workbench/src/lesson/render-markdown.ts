/**
 * Lesson markdown → safe HTML. Lessons are ours, but a lesson folder can come from anywhere (a class
 * repository), so the HTML is sanitised with DOMPurify before it reaches the page.
 */
import { Marked } from 'marked';
import DOMPurify from 'dompurify';

const marked = new Marked({ gfm: true, breaks: false });

/** Renders markdown to sanitised HTML. Fenced code keeps its `language-xx` class for highlighting. */
export function renderMarkdown(markdown: string): string {
  const raw = marked.parse(markdown, { async: false }) as string;
  return DOMPurify.sanitize(raw, { USE_PROFILES: { html: true } });
}
