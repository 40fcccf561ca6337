/**
 * Renders `runtime/src/engine/structured/generated-functions.ts`: one PySpark-style function per
 * registry entry (and per PySpark alias), with the entry's parameters as TypeScript parameters and
 * its documentation as JSDoc, which is what the editor's completion and hover show.
 */
import type { FunctionSpec, Param } from '../../runtime/src/engine/functions/function-spec.js';

const HEADER = `/**
 * PySpark functions generated from the function registry (\`engine/functions\`); do not edit.
 * Regenerate with \`npm run generate\` after changing an entry.
 */
`;

function tsType(p: Param): string {
  if (p.py === 'columns') return '(ColumnOrName | ColumnOrName[])[]';
  if (p.py === 'column') {
    if (p.ts === 'number') return 'ColumnOrName | number';
    if (p.ts === 'string') return 'Column | string';
    return 'ColumnOrName';
  }
  const base = p.ts === 'any' || p.ts === undefined ? 'unknown' : p.ts;
  return p.orColumn && base !== 'unknown' ? `${base} | Column` : base;
}

function argExpr(p: Param): string {
  if (p.py === 'columns') return `colsArg(${p.name})`;
  if (p.py === 'column') return p.ts === 'number' ? `colOrNumberArg(${p.name})` : p.ts === 'string' ? `colOrLiteralArg(${p.name})` : `colArg(${p.name})`;
  return `valueArg(${p.name})`;
}

function defaultText(v: unknown): string {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(v);
}

function paramDecl(p: Param): string {
  if (p.py === 'columns') return `...${p.name}: ${tsType(p)}`;
  if (p.default !== undefined && p.default !== null) return `${p.name}: ${tsType(p)} = ${defaultText(p.default)}`;
  return `${p.name}${p.optional ? '?' : ''}: ${tsType(p)}`;
}

function jsDoc(spec: FunctionSpec): string {
  const lines = spec.doc.split('\n');
  if (spec.example) lines.push('', `Example: \`${spec.example.sql}\` gives \`${spec.example.result}\`.`);
  return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */\n`;
}

/** The PySpark names an entry is exposed as in the facade. */
export function facadeNames(spec: FunctionSpec): string[] {
  if (spec.py === null || (spec.facade ?? 'generated') !== 'generated') return [];
  return [spec.py ?? spec.name, ...(spec.pyAliases ?? [])];
}

/** The generated module's text. */
export function renderFunctionsFacade(specs: readonly FunctionSpec[]): string {
  const out: string[] = [HEADER, "import type { Column, ColumnOrName } from './column.js';", "import { callWith, colArg, colOrLiteralArg, colOrNumberArg, colsArg, valueArg } from './facade-args.js';", ''];
  const used = new Set<string>();
  const entries = specs.flatMap((s) => facadeNames(s).map((n) => ({ n, s }))).sort((a, b) => a.n.localeCompare(b.n));
  for (const { n, s } of entries) {
    const params = s.params.filter((p) => !p.sqlOnly);
    const helpers = new Set(params.map((p) => argExpr(p).replace(/\(.*/, '')));
    for (const h of helpers) used.add(h);
    const call = n === (s.py ?? s.name) ? s.name : n;
    out.push(`${jsDoc(s)}export function ${n}(${params.map(paramDecl).join(', ')}): Column {`);
    out.push(`  return callWith('${call}', [${params.map(argExpr).join(', ')}]);`);
    out.push('}', '');
  }
  const helpers = ['callWith', ...['colArg', 'colOrLiteralArg', 'colOrNumberArg', 'colsArg', 'valueArg'].filter((h) => used.has(h))];
  out[2] = `import { ${helpers.join(', ')} } from './facade-args.js';`;
  return `${out.join('\n').trimEnd()}\n`;
}
