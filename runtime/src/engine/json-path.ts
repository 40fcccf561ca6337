/**
 * `get_json_object` and `json_tuple` as Spark 3.5 evaluates them (GetJsonObject, JsonTuple): the
 * text is read as Jackson reads it with Hive's leniencies (single-quoted strings, raw control
 * characters), only its first value counts (what follows is never read), and a match is written
 * back as Jackson's generator writes it: keys in order, duplicates kept, doubles as Java prints them,
 * a string at the top without quotes.
 *
 *   path        := '$' node*                      (anything else: NULL)
 *   node        := '.*' | "['*']"                 a wildcard over the fields of an object
 *                | '.' name | "['" key "']"       name: no '.' or '['; key: no "'" or '?'
 *                | '[' ('*' | digits) ']'         every element, or one
 *
 * Evaluation follows Spark's `evaluatePath`: a field whose value is JSON null does not match; a
 * wildcard over an array gives an array of its matches, unwrapped when there is only one; `[*][*]`
 * flattens the inner arrays into one.
 */
import { javaDouble } from '../format/java-number.js';

/** A parsed JSON value that keeps what Jackson's generator would write back. */
export type JsonNode =
  | { readonly t: 'obj'; readonly entries: readonly (readonly [string, JsonNode])[] }
  | { readonly t: 'arr'; readonly items: readonly JsonNode[] }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly text: string; readonly float: boolean }
  | { readonly t: 'lit'; readonly text: 'true' | 'false' | 'null' };

class Malformed extends Error {}

/** How lenient the reader is beyond single-quoted strings, which both of Spark's readers take. */
export interface JsonReadOptions {
  /** Raw control characters in strings are refused (Jackson's default; `from_json`), not kept (Hive's). */
  readonly strictStrings?: boolean;
  /** `NaN`, `Infinity`, `+Infinity`, `-Infinity`, `INF`, `+INF` and `-INF` are numbers (`allowNonNumericNumbers`). */
  readonly nonNumericNumbers?: boolean;
}

/** The non-numeric number tokens Jackson reads, as the text `Number` reads. */
const NON_NUMERIC: readonly (readonly [string, string])[] = [
  ['+Infinity', 'Infinity'], ['-Infinity', '-Infinity'], ['Infinity', 'Infinity'], ['NaN', 'NaN'],
  ['+INF', 'Infinity'], ['-INF', '-Infinity'], ['INF', 'Infinity'],
];

/** Reads the first JSON value of `text`; undefined when there is none or it is malformed. */
export function parseFirstJsonValue(text: string, options: JsonReadOptions = {}): JsonNode | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (): never => {
    throw new Malformed();
  };
  const str = (q: string): string => {
    i++;
    let out = '';
    while (i < n && text[i] !== q) {
      const c = text[i];
      if (c === '\\') {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': case '\\': case '/': case "'": out += e; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const h = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail();
            out += String.fromCharCode(parseInt(h, 16));
            i += 4;
            break;
          }
          default: fail();
        }
      } else {
        if (options.strictStrings && c.charCodeAt(0) < 0x20) fail();
        out += c;
        i++;
      }
    }
    if (i >= n) fail();
    i++;
    return out;
  };
  const value = (): JsonNode => {
    ws();
    if (i >= n) fail();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, JsonNode][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'obj', entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"' && text[i] !== "'") fail();
        const k = str(text[i]);
        ws();
        if (text[i] !== ':') fail();
        i++;
        entries.push([k, value()]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { t: 'obj', entries };
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'arr', items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { t: 'arr', items };
        }
        fail();
      }
    }
    if (c === '"' || c === "'") return { t: 'str', v: str(c) };
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '-') {
      i += m[0].length;
      return { t: 'num', text: m[0], float: m[1] !== undefined || m[2] !== undefined };
    }
    for (const w of ['true', 'false', 'null'] as const) {
      if (text.startsWith(w, i)) {
        i += w.length;
        return { t: 'lit', text: w };
      }
    }
    if (options.nonNumericNumbers) {
      for (const [token, number] of NON_NUMERIC) {
        if (text.startsWith(token, i)) {
          i += token.length;
          return { t: 'num', text: number, float: true };
        }
      }
    }
    return fail();
  };
  try {
    return value();
  } catch (e) {
    if (e instanceof Malformed) return undefined;
    throw e;
  }
}

/** A string as Jackson's generator quotes it. */
function quoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code < 0x20) {
      const short: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
      out += short[ch] ?? `\\u00${code.toString(16).toUpperCase().padStart(2, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** A number as Jackson copies it: integers as written, others as Java prints the double. */
function numberText(node: Extract<JsonNode, { t: 'num' }>): string {
  if (!node.float) return node.text.replace(/^-0$/, '0');
  const d = Number(node.text);
  // Jackson quotes the numbers JSON has no words for.
  return Number.isFinite(d) ? javaDouble(d) : `"${javaDouble(d)}"`;
}

/** The JSON text Jackson's generator writes for a value (compact). */
export function jsonNodeText(node: JsonNode): string {
  switch (node.t) {
    case 'obj': return `{${node.entries.map(([k, v]) => `${quoted(k)}:${jsonNodeText(v)}`).join(',')}}`;
    case 'arr': return `[${node.items.map(jsonNodeText).join(',')}]`;
    case 'str': return quoted(node.v);
    case 'num': return numberText(node);
    case 'lit': return node.text;
  }
}

/** The text `get_json_object` and `json_tuple` give for a matched value: a string unquoted. */
export function jsonNodeRaw(node: JsonNode): string {
  return node.t === 'str' ? node.v : jsonNodeText(node);
}

type Step =
  | { readonly k: 'named'; readonly name: string }
  | { readonly k: 'wildcard' }
  | { readonly k: 'index'; readonly index: number }
  | { readonly k: 'every' };

/** Parses a JSON path as Spark's JsonPathParser does (spaces between tokens are skipped); undefined when it is not one. */
export function parseJsonPath(path: string): Step[] | undefined {
  let i = 0;
  const skip = () => {
    while (i < path.length && /\s/.test(path[i])) i++;
  };
  skip();
  if (path[i] !== '$') return undefined;
  i++;
  const steps: Step[] = [];
  for (;;) {
    skip();
    if (i >= path.length) return steps;
    const rest = path.slice(i);
    if (rest.startsWith('.*') || rest.startsWith("['*']")) {
      steps.push({ k: 'wildcard' });
      i += rest.startsWith('.*') ? 2 : 5;
      continue;
    }
    if (rest[0] === '.') {
      i++;
      skip();
      const m = /^[^.[]+/.exec(path.slice(i));
      if (!m) return undefined;
      steps.push({ k: 'named', name: m[0] });
      i += m[0].length;
      continue;
    }
    if (rest.startsWith("['")) {
      i += 2;
      skip();
      const m = /^[^'?]+/.exec(path.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      skip();
      if (!path.startsWith("']", i)) return undefined;
      i += 2;
      steps.push({ k: 'named', name: m[0] });
      continue;
    }
    if (rest[0] === '[') {
      i++;
      skip();
      if (path[i] === '*') {
        i++;
        steps.push({ k: 'every' });
      } else {
        const m = /^\d+/.exec(path.slice(i));
        if (!m || Number(m[0]) > 2147483647) return undefined;
        i += m[0].length;
        steps.push({ k: 'index', index: Number(m[0]) });
      }
      skip();
      if (path[i] !== ']') return undefined;
      i++;
      continue;
    }
    return undefined;
  }
}

type Style = 'raw' | 'quoted' | 'flatten';

/** Appends what `evaluatePath` writes for `node` to `out`; whether anything matched. */
function evaluate(node: JsonNode, steps: readonly Step[], at: number, style: Style, out: string[]): boolean {
  if (at === steps.length) {
    if (node.t === 'str' && style === 'raw') {
      out.push(node.v);
      return true;
    }
    if (node.t === 'arr' && style === 'flatten') {
      let dirty = false;
      for (const item of node.items) dirty = evaluate(item, steps, at, style, out) || dirty;
      return dirty;
    }
    out.push(jsonNodeText(node));
    return true;
  }
  const step = steps[at];
  if (node.t === 'obj' && step.k === 'named') {
    // The first field of that name whose value is not null; later ones are skipped.
    for (const [k, v] of node.entries) {
      if (k !== step.name || (v.t === 'lit' && v.text === 'null')) continue;
      if (evaluate(v, steps, at + 1, style, out)) return true;
    }
    return false;
  }
  if (node.t === 'arr' && step.k === 'every') {
    const next = steps[at + 1];
    if (next?.k === 'every') {
      // `[*][*]`: Hive's double wildcard flattens the inner arrays into one.
      const parts: string[] = [];
      let dirty = false;
      for (const item of node.items) dirty = evaluateInto(item, steps, at + 2, 'flatten', parts) || dirty;
      out.push(`[${parts.join(',')}]`);
      return dirty;
    }
    if (style !== 'quoted') {
      const parts: string[] = [];
      let count = 0;
      for (const item of node.items) if (evaluateInto(item, steps, at + 1, style === 'raw' ? 'quoted' : 'flatten', parts)) count++;
      // One match is written without the array around it, as Hive does.
      if (count > 1) out.push(`[${parts.join(',')}]`);
      else if (count === 1) out.push(parts.join(','));
      return count > 0;
    }
    const parts: string[] = [];
    let dirty = false;
    for (const item of node.items) dirty = evaluateInto(item, steps, at + 1, 'quoted', parts) || dirty;
    out.push(`[${parts.join(',')}]`);
    return dirty;
  }
  if (node.t === 'arr' && step.k === 'index') {
    const item = node.items[step.index];
    if (item === undefined) return false;
    const nextStyle = steps[at + 1]?.k === 'every' ? 'quoted' : style;
    return evaluate(item, steps, at + 1, nextStyle, out);
  }
  return false;
}

/** Like `evaluate`, but each value written is one element of `parts` (an array being built). */
function evaluateInto(node: JsonNode, steps: readonly Step[], at: number, style: Style, parts: string[]): boolean {
  const out: string[] = [];
  const dirty = evaluate(node, steps, at, style, out);
  parts.push(...out);
  return dirty;
}

/** `get_json_object(json, path)`: the text at the path, or null. */
export function getJsonObject(json: string, path: readonly Step[]): string | null {
  const root = parseFirstJsonValue(json);
  if (root === undefined) return null;
  const out: string[] = [];
  return evaluate(root, path, 0, 'raw', out) ? out.join('') : null;
}

/** `json_tuple(json, f1, …)`: each field's value as text (a string unquoted), null when absent, JSON null or unreadable. */
export function jsonTuple(json: string, fields: readonly (string | null)[]): (string | null)[] {
  const row = fields.map((): string | null => null);
  const root = parseFirstJsonValue(json);
  if (root === undefined || root.t !== 'obj') return row;
  // A key given twice: its last value wins, as JsonTuple overwrites.
  for (const [k, v] of root.entries) {
    if (v.t === 'lit' && v.text === 'null') continue;
    for (let i = 0; i < fields.length; i++) if (fields[i] === k) row[i] = jsonNodeRaw(v);
  }
  return row;
}

/** A type `schema_of_json` infers (Spark's JsonInferSchema, default options). */
type Inferred =
  | { readonly t: 'null' | 'bigint' | 'double' | 'string' | 'boolean' }
  | { readonly t: 'decimal'; readonly precision: number }
  | { readonly t: 'array'; readonly element: Inferred }
  | { readonly t: 'struct'; readonly fields: readonly (readonly [string, Inferred])[] };

function infer(node: JsonNode): Inferred {
  switch (node.t) {
    case 'str': return { t: 'string' };
    case 'lit': return node.text === 'null' ? { t: 'null' } : { t: 'boolean' };
    case 'num': {
      if (node.float) return { t: 'double' };
      const digits = node.text.replace(/^-/, '');
      const n = BigInt(node.text);
      return n >= -(2n ** 63n) && n < 2n ** 63n ? { t: 'bigint' } : { t: 'decimal', precision: digits.length };
    }
    case 'arr': return { t: 'array', element: node.items.map(infer).reduce(compatible, { t: 'null' } as Inferred) };
    case 'obj': return node.entries.map(([k, v]) => ({ t: 'struct', fields: [[k, infer(v)]] }) as Inferred).reduce(compatible, { t: 'struct', fields: [] });
  }
}

/** Spark's `compatibleType`: the type both values fit, STRING when nothing else does. */
function compatible(a: Inferred, b: Inferred): Inferred {
  if (a.t === 'null') return b;
  if (b.t === 'null') return a;
  if (a.t === 'struct' && b.t === 'struct') {
    const fields = new Map<string, Inferred>(a.fields);
    for (const [k, v] of b.fields) fields.set(k, fields.has(k) ? compatible(fields.get(k)!, v) : v);
    // Spark orders inferred fields by name (String.compareTo: by UTF-16 code unit).
    return { t: 'struct', fields: [...fields].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)) };
  }
  if (a.t === 'array' && b.t === 'array') return { t: 'array', element: compatible(a.element, b.element) };
  if (a.t === b.t && a.t !== 'decimal') return a;
  const numeric = (x: Inferred) => x.t === 'bigint' || x.t === 'double' || x.t === 'decimal';
  if (numeric(a) && numeric(b)) {
    if (a.t === 'double' || b.t === 'double') return { t: 'double' };
    const p = (x: Inferred) => (x.t === 'decimal' ? x.precision : 20);
    return { t: 'decimal', precision: Math.max(p(a), p(b)) };
  }
  return { t: 'string' };
}

/** Spark's `canonicalizeType`: NULL becomes STRING, empty structs (and what holds only them) go. */
function canonical(x: Inferred): string | undefined {
  switch (x.t) {
    case 'null': case 'string': return 'STRING';
    case 'bigint': return 'BIGINT';
    case 'double': return 'DOUBLE';
    case 'boolean': return 'BOOLEAN';
    case 'decimal': return `DECIMAL(${x.precision},0)`;
    case 'array': {
      const e = canonical(x.element);
      return e === undefined ? undefined : `ARRAY<${e}>`;
    }
    case 'struct': {
      const fields = x.fields.flatMap(([k, v]) => {
        const t = canonical(v);
        return k === '' || t === undefined ? [] : [`${k}: ${t}`];
      });
      return fields.length === 0 ? undefined : `STRUCT<${fields.join(', ')}>`;
    }
  }
}

/** `schema_of_json(json)`: the DDL type Spark infers for one JSON text; undefined when it is not JSON. */
export function schemaOfJson(json: string): string | undefined {
  const root = parseFirstJsonValue(json);
  if (root === undefined) return undefined;
  return canonical(infer(root)) ?? 'STRUCT<>';
}
