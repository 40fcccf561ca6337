/**
 * Highlights fenced TypeScript/JavaScript blocks in rendered lesson text with Monaco's colouriser, so
 * lesson code looks like the editor (and no second highlighter is shipped). Other languages stay plain.
 */
import { monaco } from '../editor/monaco-setup.js';

const LANGS: Record<string, string> = { ts: 'typescript', typescript: 'typescript', js: 'javascript', javascript: 'javascript' };

/**
 * Colourises every `pre > code.language-…` under `root` that Monaco knows. The token colours are rules
 * Monaco writes into the shadow root of the editor it hosts (`style.monaco-colors`); `colorsFrom` is that
 * root, and its rules are copied next to the highlighted code so the spans get their colours.
 */
export async function highlightCode(root: ParentElement, colorsFrom?: ParentNode | null): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>('pre > code[class*="language-"]')];
  await Promise.all(
    blocks.map(async (code) => {
      const lang = /language-(\w+)/.exec(code.className)?.[1] ?? '';
      const monacoLang = LANGS[lang];
      if (!monacoLang || code.dataset.highlighted) return;
      // colorize() escapes the text it is given and returns only spans.
      code.innerHTML = await monaco.editor.colorize(code.textContent ?? '', monacoLang, { tabSize: 2 });
      code.dataset.highlighted = 'true';
    }),
  );
  const colors = colorsFrom?.querySelector('style.monaco-colors')?.textContent;
  if (!colors) return;
  let copy = root.querySelector<HTMLStyleElement>('style[data-monaco-colors]');
  if (!copy) {
    copy = document.createElement('style');
    copy.dataset.monacoColors = '';
    root.append(copy);
  }
  if (copy.textContent !== colors) copy.textContent = colors;
}

type ParentElement = Element | ShadowRoot;
