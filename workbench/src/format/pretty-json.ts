/**
 * A record value as the Topics panel shows it: JSON laid out two spaces deep, anything else as is.
 * The layout only moves whitespace: numbers, strings and key order stay exactly as the producer wrote
 * them, so `0.0` stays `0.0` and `3.2386077994559824E-5` keeps its digits (a parse and re-serialise
 * would show `0` and `0.000032386077994559824`).
 */
export function prettyValue(value: string | null): string {
  if (value === null) return 'null';
  const text = value.trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return value;
  try {
    JSON.parse(text);
  } catch {
    return value;
  }
  return indentJson(text);
}

const CLOSING: Record<string, string> = { '{': '}', '[': ']' };

/** Lays out valid JSON text, one member or element per line, keeping every token as written. */
function indentJson(text: string): string {
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      // A string, escapes and all, as written.
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      let j = i + 1;
      while (/\s/.test(text[j]!)) j++;
      if (text[j] === CLOSING[c]) {
        out += c + CLOSING[c];
        i = j;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += `,${newline()}`;
    } else if (c === ':') {
      out += ': ';
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}
