/**
 * Inserting guard calls into a compiled script without new lines, and shifting its source map to match
 * (loop-instrument.ts). Pure: the browser build instruments loops with it too.
 */
import { parse, type Node } from 'acorn';
import { AWAIT_TRACKER_NAME } from './await-tracker.js';
import { LOOP_GUARD_NAME } from './loop-guard-core.js';

export type AnyNode = Node & Record<string, unknown>;

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

export interface Insert {
  at: number;
  text: string;
}

export const parseScript = (code: string) => parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowHashBang: true, locations: true });

export function forChildren(node: AnyNode, visit: (n: AnyNode) => void): void {
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === 'object' && typeof (c as AnyNode).type === 'string') visit(c as AnyNode);
    } else if (v && typeof v === 'object' && typeof (v as AnyNode).type === 'string') visit(v as AnyNode);
  }
}

/** Inserts a guard call at the top of every loop body of a (CommonJS) script and shifts its source map. */
export function instrumentLoops(code: string, mapJson: string): { code: string; map: string } {
  const ast = parseScript(code);
  const inserts: Insert[] = [];
  const call = `${LOOP_GUARD_NAME}();`;
  const visit = (node: AnyNode): void => {
    if (LOOPS.has(node.type)) {
      const body = node.body as AnyNode;
      if (body.type === 'BlockStatement') inserts.push({ at: body.start + 1, text: call });
      else {
        inserts.push({ at: body.start, text: `{${call}` });
        inserts.push({ at: body.end, text: '}' });
      }
    }
    forChildren(node, visit);
  };
  visit(ast as unknown as AnyNode);
  return applyInserts(code, mapJson, inserts);
}

/** Where a generated position (0-based line and column) comes from in the learner's files (0-based line and column). */
export type OriginalPosition = (line: number, column: number) => { source?: string; line?: number; column?: number };

/**
 * Wraps the operand of every `await` in a call that records where the code waits, with the learner's
 * position as `original` finds it, so a hang can name its line (see `await-tracker.ts`):
 *
 *   await x   →  await __streamlabAwait(x,"solution.ts",12,5)
 */
export function instrumentAwaitsAt(code: string, mapJson: string, original: OriginalPosition): { code: string; map: string } {
  const ast = parseScript(code);
  const inserts: Insert[] = [];
  const visit = (node: AnyNode): void => {
    if (node.type === 'AwaitExpression') {
      const arg = node.argument as AnyNode;
      const loc = (node as unknown as { loc: { start: { line: number; column: number } } }).loc.start;
      const pos = original(loc.line - 1, loc.column);
      if (pos.source !== undefined && pos.line !== undefined) {
        inserts.push({ at: arg.start, text: `${AWAIT_TRACKER_NAME}(` });
        inserts.push({ at: arg.end, text: `,${JSON.stringify(pos.source)},${pos.line + 1},${(pos.column ?? 0) + 1})` });
      }
    }
    forChildren(node, visit);
  };
  visit(ast as unknown as AnyNode);
  return applyInserts(code, mapJson, inserts);
}

/**
 * Where a script calls the dynamic `import(…)` first (0-based line and column), or null. A pipeline
 * imports only what its bundle holds; a host that cannot refuse the call itself refuses the script.
 */
export function dynamicImportAt(code: string): { line: number; column: number } | null {
  let found: { line: number; column: number } | null = null;
  const visit = (node: AnyNode): void => {
    if (found) return;
    if (node.type === 'ImportExpression') {
      const loc = (node as unknown as { loc: { start: { line: number; column: number } } }).loc.start;
      found = { line: loc.line - 1, column: loc.column };
      return;
    }
    forChildren(node, visit);
  };
  visit(parseScript(code) as unknown as AnyNode);
  return found;
}

/**
 * A source map's lookup, as Node's `SourceMap.findEntry` answers it (for hosts without `node:module`):
 * the last mapping at or before the position, in generated order; a mapping without a source has none.
 */
export function sourceMapLookup(mapJson: string): OriginalPosition {
  const map = JSON.parse(mapJson) as { mappings: string; sources: string[] };
  const entries: { line: number; column: number; original: { source?: string; line?: number; column?: number } }[] = [];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  map.mappings.split(';').forEach((lineText, line) => {
    let column = 0;
    if (lineText === '') return;
    for (const segment of lineText.split(',')) {
      const f = decodeVlq(segment);
      column += f[0]!;
      if (f.length < 4) {
        entries.push({ line, column, original: {} });
        continue;
      }
      source += f[1]!;
      originalLine += f[2]!;
      originalColumn += f[3]!;
      entries.push({ line, column, original: { source: map.sources[source]!, line: originalLine, column: originalColumn } });
    }
  });
  return (line, column) => {
    let lo = 0;
    let hi = entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = entries[mid]!;
      if (e.line < line || (e.line === line && e.column <= column)) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? {} : entries[found]!.original;
  };
}

/** Applies insertions to the code and shifts the source map to match. */
export function applyInserts(code: string, mapJson: string, inserts: Insert[]): { code: string; map: string } {
  if (inserts.length === 0) return { code, map: mapJson };
  // Left to right; at one position a closing brace goes before an opening one (`}` ends the previous body).
  inserts.sort((a, b) => a.at - b.at || (a.text === '}' ? -1 : b.text === '}' ? 1 : 0));
  let out = '';
  let last = 0;
  for (const { at, text } of inserts) {
    out += code.slice(last, at) + text;
    last = at;
  }
  out += code.slice(last);
  const map = JSON.parse(mapJson) as { mappings: string };
  map.mappings = shiftMappings(map.mappings, columnShifts(code, inserts));
  return { code: out, map: JSON.stringify(map) };
}

/** Per generated line (0-based): insertions as [column, length], in column order. */
function columnShifts(code: string, inserts: readonly Insert[]): Map<number, Array<[number, number]>> {
  const out = new Map<number, Array<[number, number]>>();
  let line = 0;
  let lineStart = 0;
  let pos = 0;
  for (const { at, text } of inserts) {
    for (; pos < at; pos++) {
      if (code.charCodeAt(pos) === 10) {
        line++;
        lineStart = pos + 1;
      }
    }
    let list = out.get(line);
    if (!list) out.set(line, (list = []));
    list.push([at - lineStart, text.length]);
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`bad source map character ${ch}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeVlq(values: readonly number[]): string {
  let out = '';
  for (const v of values) {
    let n = v < 0 ? (-v << 1) | 1 : v << 1;
    do {
      let digit = n & 31;
      n >>>= 5;
      if (n > 0) digit |= 32;
      out += B64[digit];
    } while (n > 0);
  }
  return out;
}

/**
 * Moves generated columns right by the text inserted at or before them on their line. Only the
 * first field of a segment (the generated column, relative within its line) changes.
 */
function shiftMappings(mappings: string, shifts: Map<number, Array<[number, number]>>): string {
  return mappings.split(';').map((lineText, line) => {
    const lineShifts = shifts.get(line);
    if (!lineShifts || lineText === '') return lineText;
    let column = 0;
    let previousShifted = 0;
    return lineText.split(',').map((segment) => {
      const fields = decodeVlq(segment);
      column += fields[0];
      let shifted = column;
      for (const [at, length] of lineShifts) if (at <= column) shifted += length;
      fields[0] = shifted - previousShifted;
      previousShifted = shifted;
      return encodeVlq(fields);
    }).join(',');
  }).join(';');
}
