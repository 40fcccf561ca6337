/**
 * String functions (Spark's stringExpressions and regexpExpressions), counting characters as Java's
 * String does where Spark does (UTF-16 code units for `levenshtein`, code points for `length`).
 */
import { castTo, mergeTypes, type Compiled, type Row } from '../expressions/compiled.js';
import { ArrayType, BINARY, BOOLEAN, INT, LONG, NULL, STRING, type DataType } from '../types.js';
import { toSparkString } from '../values.js';
import { base64, formatNumber, javaFormat } from '../text-format.js';
import { AnalysisException } from '../errors.js';
import { call, node, type Expr } from '../expressions/expr.js';
import { col, cols, defineFunction, val, type FunctionSpec } from './function-spec.js';

/** Java pattern syntax mostly matches JS; `(?i)` style flags are lifted to JS flags. */
export function javaRegex(p: string): RegExp {
  const m = /^\(\?([imsx]+)\)/.exec(p);
  return m ? new RegExp(p.slice(m[0].length), m[1].replace('x', '')) : new RegExp(p);
}

/** Edit distance between two strings (by UTF-16 code units, as Java's String does). */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function castArrayToStrings(c: Compiled): (row: Row) => unknown {
  const f = c.eval;
  const et = (c.type as ArrayType).elementType;
  return (row) => {
    const a = f(row) as unknown[] | null;
    return a === null ? null : a.map((x) => (x === null ? null : toSparkString(x, et)));
  };
}

/** A one-string-argument function giving `type` (NULL in, NULL out). */
function unaryString(name: string, doc: string, f: (s: string) => unknown, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return defineFunction({
    name, group: 'string', kind: 'scalar', params: [col('col', 'string')], doc,
    compile: (c) => c.strict1(STRING, c.arg(0), f), ...extra,
  });
}

function pad(left: boolean): FunctionSpec {
  return defineFunction({
    name: left ? 'lpad' : 'rpad', group: 'string', kind: 'scalar',
    params: [col('col', 'string'), val('len', 'number', 'int'), val('pad', 'string', 'string', { optional: true, nameDefault: ' ' })],
    doc: left ? 'Left-pads the string with `pad` to `len` characters (or cuts it to `len`).' : 'Right-pads the string with `pad` to `len` characters (or cuts it to `len`).',
    example: { sql: `${left ? 'lpad' : 'rpad'}('7', 3, '0')`, result: left ? '007' : '700' },
    compile: (c) => {
      const str = c.arg(0).eval;
      const len = c.arg(1).eval;
      const padder = c.has(2) ? c.arg(2).eval : () => ' ';
      return c.make(STRING, (row) => {
        const s = str(row) as string | null;
        const n = len(row) as number | null;
        const p = padder(row) as string | null;
        if (s === null || n === null || p === null) return null;
        if (n <= s.length) return s.slice(0, Math.max(0, n));
        if (p === '') return s;
        const fill = p.repeat(Math.ceil((n - s.length) / p.length)).slice(0, n - s.length);
        return left ? fill + s : s + fill;
      });
    },
  });
}

export const stringFunctions: readonly FunctionSpec[] = [
  unaryString('upper', 'The string in upper case.', (v) => v.toUpperCase(), { aliases: ['ucase'], pyAliases: ['ucase'], example: { sql: "upper('Spark')", result: 'SPARK' } }),
  unaryString('lower', 'The string in lower case.', (v) => v.toLowerCase(), { aliases: ['lcase'], pyAliases: ['lcase'], example: { sql: "lower('Spark')", result: 'spark' } }),
  unaryString('trim', 'The string without leading and trailing spaces.', (v) => v.replace(/^ +| +$/g, '')),
  unaryString('ltrim', 'The string without leading spaces.', (v) => v.replace(/^ +/, '')),
  unaryString('rtrim', 'The string without trailing spaces.', (v) => v.replace(/ +$/, '')),
  unaryString('initcap', 'Each word with its first letter in upper case and the rest in lower case.',
    (s) => s.toLowerCase().replace(/(^|\s)(\S)/g, (_m, sp: string, ch: string) => sp + ch.toUpperCase())),
  unaryString('reverse', 'The string reversed.', (s) => [...s].reverse().join('')),
  defineFunction({
    name: 'ascii', group: 'string', kind: 'scalar', params: [col('col', 'string')], doc: 'The code of the first character (0 for an empty string).',
    compile: (c) => c.strict1(INT, c.arg(0), (s: string) => (s.length === 0 ? 0 : s.codePointAt(0)!)),
  }),
  defineFunction({
    name: 'chr', aliases: ['char'], group: 'string', kind: 'scalar', params: [col('col', 'long')], py: 'char',
    doc: 'The character with this code (modulo 256).',
    compile: (c) => c.strict1(STRING, c.arg(0), (n: number) => (n < 0 ? '' : String.fromCharCode(n % 256))),
  }),
  defineFunction({
    name: 'length', aliases: ['char_length', 'character_length'], pyAliases: ['char_length', 'character_length'], group: 'string', kind: 'scalar', params: [col('col', 'string-or-binary')],
    doc: 'The number of characters of a string, or of bytes of a binary value.', example: { sql: "length('Spark')", result: '5' },
    compile: (c) => {
      const a = c.arg(0);
      return a.type === BINARY ? c.strict1(INT, a, (b: Uint8Array) => b.length) : c.strict1(INT, a, (v: string) => [...v].length);
    },
  }),
  defineFunction({
    name: 'repeat', group: 'string', kind: 'scalar', params: [col('col', 'string'), val('n', 'number', 'int')],
    doc: 'The string repeated `n` times.', example: { sql: "repeat('ab', 2)", result: 'abab' },
    compile: (c) => c.strict2(STRING, c.arg(0), c.arg(1), (s: string, n: number) => (n <= 0 ? '' : s.repeat(n))),
  }),
  defineFunction({
    name: 'instr', group: 'string', kind: 'scalar', params: [col('str', 'string'), val('substr', 'string', 'string')],
    doc: 'The 1-based position of the first `substr` in the string, 0 when absent.',
    compile: (c) => c.strict2(INT, c.arg(0), c.arg(1), (s: string, sub: string) => s.indexOf(sub) + 1),
  }),
  defineFunction({
    name: 'locate', aliases: ['position'], group: 'string', kind: 'scalar',
    params: [val('substr', 'string', 'string'), col('str', 'string'), val('pos', 'number', 'int', { optional: true, default: 1, nameDefault: '1' })],
    doc: 'The 1-based position of the first `substr` at or after `pos`, 0 when absent.',
    compile: (c) => {
      const sub = c.arg(0).eval;
      const str = c.arg(1).eval;
      const from = c.has(2) ? c.arg(2).eval : () => 1;
      return c.make(INT, (row) => {
        const p = from(row) as number | null;
        if (p === null) return 0;
        const a = sub(row) as string | null;
        const s = str(row) as string | null;
        if (a === null || s === null) return null;
        return p < 1 ? 0 : s.indexOf(a, p - 1) + 1;
      });
    },
  }),
  pad(true),
  pad(false),
  defineFunction({
    name: 'replace', group: 'string', kind: 'scalar', params: [col('src', 'string'), col('search', 'string'), col('replace', 'string', { optional: true })],
    doc: 'Replaces every `search` with `replace` (nothing when left out).', example: { sql: "replace('a-b-c', '-', '+')", result: 'a+b+c' },
    compile: (c) => {
      const str = c.arg(0).eval;
      const search = c.arg(1).eval;
      const by = c.has(2) ? c.arg(2).eval : () => '';
      return c.make(STRING, (row) => {
        const s = str(row) as string | null;
        const a = search(row) as string | null;
        const b = by(row) as string | null;
        if (s === null || a === null || b === null) return null;
        return a === '' ? s : s.split(a).join(b);
      });
    },
  }),
  defineFunction({
    name: 'translate', group: 'string', kind: 'scalar', params: [col('srcCol', 'string'), val('matching', 'string', 'string'), val('replace', 'string', 'string')],
    doc: 'Replaces each character of `matching` by the character at the same place in `replace` (or removes it).',
    compile: (c) => {
      const str = c.arg(0).eval;
      const from = c.arg(1).eval;
      const to = c.arg(2).eval;
      return c.make(STRING, (row) => {
        const s = str(row) as string | null;
        const f = from(row) as string | null;
        const t = to(row) as string | null;
        if (s === null || f === null || t === null) return null;
        const map = new Map<string, string>();
        [...f].forEach((ch, i) => { if (!map.has(ch)) map.set(ch, [...t][i] ?? ''); });
        return [...s].map((ch) => map.get(ch) ?? ch).join('');
      });
    },
  }),
  defineFunction({
    name: 'substring', aliases: ['substr'], group: 'string', kind: 'scalar',
    params: [col('str', 'string'), val('pos', 'number', 'int'), val('len', 'number', 'int', { optional: true })],
    doc: 'The `len` characters from the 1-based position `pos` (negative counts from the end).', example: { sql: "substring('Spark SQL', 1, 5)", result: 'Spark' },
    compile: (c) => {
      const s = c.arg(0).eval;
      const pos = c.arg(1).eval;
      const len = c.has(2) ? c.arg(2).eval : () => Number.MAX_SAFE_INTEGER;
      return c.make(STRING, (row) => {
        const v = s(row) as string | null;
        const p = pos(row) as number | null;
        const l = len(row) as number | null;
        if (v === null || p === null || l === null) return null;
        const chars = [...v];
        const start = p > 0 ? p - 1 : p < 0 ? Math.max(chars.length + p, 0) : 0;
        return chars.slice(start, start + Math.max(l, 0)).join('');
      });
    },
  }),
  defineFunction({
    name: 'ilike', group: 'string', kind: 'scalar', params: [col('str', 'string'), col('pattern', 'string'), col('escapeChar', 'string', { optional: true })],
    doc: '`str ILIKE pattern`: LIKE ignoring case (`%` any text, `_` one character).', example: { sql: "ilike('Spark', '_PARK')", result: 'true' },
    compile: (c) => {
      if (c.has(2)) throw new AnalysisException(`[UNSUPPORTED_FEATURE] ilike with an escape character other than \\ is not supported by Streamlab: escape with \\ in the pattern.`, { code: 'UNSUPPORTED_FEATURE' });
      const lower = (e: Expr) => call('lower', [e]);
      const like = c.compile(node({ kind: 'like', expr: lower(c.args[0]!), pattern: lower(c.args[1]!), negated: false }));
      return c.make(BOOLEAN, like.eval);
    },
  }),
  defineFunction({
    name: 'concat', group: 'string', kind: 'scalar', params: [cols('cols', 'string')],
    doc: 'The strings (or arrays) joined; NULL when any is NULL. `a || b` is `concat(a, b)`.', example: { sql: "concat('Spark', 'SQL')", result: 'SparkSQL' },
    compile: (c) => {
      const raw = c.args.map((_, i) => c.raw(i));
      if (raw.length > 0 && raw.every((a) => a.type.kind === 'array' || a.type === NULL) && raw.some((a) => a.type.kind === 'array')) {
        let type: DataType = NULL;
        for (const a of raw) type = mergeTypes(type, a.type);
        const parts = raw.map((a) => castTo(a, type).eval);
        return c.make(type, (row) => {
          const out: unknown[] = [];
          for (const f of parts) {
            const v = f(row) as unknown[] | null;
            if (v === null) return null;
            out.push(...v);
          }
          return out;
        });
      }
      const fs = c.args.map((_, i) => c.arg(i).eval);
      return c.make(STRING, (row) => {
        let out = '';
        for (const f of fs) {
          const v = f(row);
          if (v === null) return null;
          out += v as string;
        }
        return out;
      });
    },
  }),
  defineFunction({
    name: 'concat_ws', group: 'string', kind: 'scalar', params: [val('sep', 'string', 'string'), cols('cols')],
    doc: 'The strings (and the elements of string arrays) joined by `sep`, skipping NULLs.', example: { sql: "concat_ws('-', 'a', NULL, 'b')", result: 'a-b' },
    compile: (c) => {
      const sep = c.arg(0).eval;
      const parts = c.args.slice(1).map((_, i) => c.raw(i + 1));
      const fs = parts.map((p) => (p.type.kind === 'array' ? castArrayToStrings(p) : castTo(p, STRING).eval));
      return c.make(STRING, (row) => {
        const s = sep(row) as string | null;
        if (s === null) return null;
        const out: string[] = [];
        for (const f of fs) {
          const v = f(row);
          if (v === null) continue;
          if (Array.isArray(v)) for (const x of v) { if (x !== null) out.push(x as string); }
          else out.push(v as string);
        }
        return out.join(s);
      }, { nullable: false });
    },
  }),
  defineFunction({
    name: 'split', group: 'string', kind: 'scalar',
    params: [col('str', 'string'), val('pattern', 'string', 'string'), val('limit', 'number', 'int', { optional: true, default: -1, nameDefault: '-1' })],
    doc: 'Splits the string around matches of the regular expression `pattern` (at most `limit` parts when positive).',
    example: { sql: "split('a,b,c', ',')", result: '[a, b, c]' },
    compile: (c) => {
      const s = c.arg(0).eval;
      const p = c.arg(1).eval;
      const limit = c.has(2) ? c.arg(2).eval : () => -1;
      return c.make(new ArrayType(STRING), (row) => {
        const v = s(row) as string | null;
        const pat = p(row) as string | null;
        const lim = limit(row) as number;
        if (v === null || pat === null) return null;
        const parts = v.split(javaRegex(pat));
        if (lim > 0 && parts.length > lim) return [...parts.slice(0, lim - 1), v.split(javaRegex(pat)).slice(lim - 1).join(pat)];
        return parts;
      });
    },
  }),
  defineFunction({
    name: 'regexp_replace', group: 'string', kind: 'scalar',
    params: [col('string', 'string'), val('pattern', 'string', 'string', { orColumn: true }), val('replacement', 'string', 'string', { orColumn: true }), val('position', 'number', 'int', { optional: true, nameDefault: '1', sqlOnly: true })],
    doc: 'Replaces every match of the regular expression `pattern` with `replacement` (`$1` refers to a group).',
    example: { sql: "regexp_replace('100-200', '(\\\\d+)', 'n')", result: 'n-n' },
    compile: (c) => {
      const s = c.arg(0).eval;
      const p = c.arg(1).eval;
      const r = c.arg(2).eval;
      return c.make(STRING, (row) => {
        const v = s(row) as string | null;
        const pat = p(row) as string | null;
        const rep = r(row) as string | null;
        if (v === null || pat === null || rep === null) return null;
        const re = javaRegex(pat);
        return v.replace(new RegExp(re.source, `${re.flags}g`), rep.replace(/\$(\d)/g, '$$$1'));
      });
    },
  }),
  defineFunction({
    name: 'regexp_extract', group: 'string', kind: 'scalar',
    params: [col('str', 'string'), val('pattern', 'string', 'string'), val('idx', 'number', 'int', { optional: true, nameDefault: '1' })],
    doc: 'The group `idx` of the first match of the regular expression (empty string when none).',
    compile: (c) => {
      const s = c.arg(0).eval;
      const p = c.arg(1).eval;
      const idx = c.has(2) ? c.arg(2).eval : () => 1;
      return c.make(STRING, (row) => {
        const v = s(row) as string | null;
        const pat = p(row) as string | null;
        if (v === null || pat === null) return null;
        const m = javaRegex(pat).exec(v);
        return m ? (m[idx(row) as number] ?? '') : '';
      });
    },
  }),
  defineFunction({
    name: 'rlike', aliases: ['regexp', 'regexp_like'], group: 'string', kind: 'scalar', params: [col('str', 'string'), col('regexp', 'string')], prettyName: 'RLIKE',
    doc: 'Whether the string contains a match of the regular expression.', pyAliases: ['regexp', 'regexp_like'],
    compile: (c) => c.strict2(BOOLEAN, c.arg(0), c.arg(1), (v: string, pat: string) => javaRegex(pat).test(v)),
  }),
  defineFunction({
    name: 'levenshtein', group: 'string', kind: 'scalar',
    params: [col('left', 'string'), col('right', 'string'), val('threshold', 'number', 'int', { optional: true })],
    doc: 'The Levenshtein (edit) distance between two strings; -1 when it is over `threshold`.', example: { sql: "levenshtein('kitten', 'sitting')", result: '3' },
    compile: (c) => {
      if (!c.has(2)) return c.strict2(INT, c.arg(0), c.arg(1), levenshtein);
      const d = c.strict2(INT, c.arg(0), c.arg(1), levenshtein).eval;
      const t = c.arg(2).eval;
      return c.make(INT, (row) => {
        const n = d(row) as number | null;
        const max = t(row) as number | null;
        return n === null || max === null ? null : n > max ? -1 : n;
      });
    },
  }),
  defineFunction({
    name: 'format_number', group: 'string', kind: 'scalar', params: [col('col', 'numeric'), val('d', 'number', 'int')],
    doc: 'The number with grouped thousands and `d` decimal places (`1,234.50`).', example: { sql: 'format_number(1234.5, 2)', result: '1,234.50' },
    compile: (c) => c.strict2(STRING, c.arg(0), c.arg(1), (x: number, n: number) => (n < 0 ? null : formatNumber(x, n))),
  }),
  defineFunction({
    name: 'format_string', aliases: ['printf'], group: 'string', kind: 'scalar', params: [val('format', 'string', 'string'), cols('cols')],
    doc: 'java.util.Formatter-style formatting: `format_string("%s: %.1f", "node", "temp")`.',
    compile: (c) => {
      const cs = c.args.map((_, i) => c.raw(i));
      return c.make(STRING, (row) => {
        const fmt = cs[0].eval(row) as string | null;
        if (fmt === null) return null;
        return javaFormat(String(fmt), cs.slice(1).map((x) => ({ value: x.eval(row), type: x.type })));
      });
    },
  }),
  defineFunction({
    name: 'base64', group: 'string', kind: 'scalar', params: [col('col', 'binary')], doc: 'The binary value (or the string\'s UTF-8 bytes) in base 64.',
    compile: (c) => c.strict1(STRING, c.arg(0), (b: Uint8Array) => base64(b)),
  }),
  defineFunction({
    name: 'hex', group: 'string', kind: 'scalar', params: [col('col')], doc: 'A number (two\'s complement for negatives), string or binary value in hexadecimal.',
    compile: (c) => {
      const a = c.raw(0);
      if (a.type === STRING || a.type === BINARY) {
        return c.strict1(STRING, castTo(a, BINARY), (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase());
      }
      return c.strict1(STRING, castTo(a, LONG), (v: number) => BigInt.asUintN(64, BigInt(v)).toString(16).toUpperCase());
    },
  }),
  defineFunction({
    name: 'bin', group: 'string', kind: 'scalar', params: [col('col', 'long')], doc: 'A number (two\'s complement for negatives) in binary.',
    compile: (c) => c.strict1(STRING, c.arg(0), (v: number) => BigInt.asUintN(64, BigInt(v)).toString(2)),
  }),
];
