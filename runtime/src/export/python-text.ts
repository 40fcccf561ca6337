/**
 * Python source text for plain values, and the stubs an export collects for TypeScript functions
 * that have no PySpark equivalent (so no step is ever dropped silently).
 */

/** A Python string literal (double-quoted, escaped). */
export function pyStr(s: string): string {
  return JSON.stringify(s);
}

/** A Python literal for a JSON-like value. */
export function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `float(${pyStr(String(v).toLowerCase().replace('infinity', 'inf'))})`;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  if (v instanceof Date) return pyStr(v.toISOString());
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStr(k)}: ${pyValue(x)}`).join(', ')}}`;
  return pyStr(String(v));
}

/** A Python identifier made from a learner's name (kept as written when it is already valid). */
export function pyIdent(name: string, fallback: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!cleaned || /^[0-9]/.test(cleaned)) return fallback;
  return PY_KEYWORDS.has(cleaned) ? `${cleaned}_` : cleaned;
}

const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/** One TypeScript function the export could not translate. */
export interface Stub {
  /** The Python name the generated code calls. */
  name: string;
  /** Where it is used, e.g. `foreachBatch of query "report"`. */
  where: string;
  /** Python parameter list. */
  params: string[];
  /** The TypeScript (or compiled JavaScript) source of the function. */
  source: string;
  /** Python decorator line, if any (a UDF's `@F.udf(...)`). */
  decorator?: string;
  /** The function itself: one stub per function, however often the plan that uses it is rendered. */
  key?: unknown;
}

/** Collects stubs with unique names, in first-use order (and the imports the rendered code needs). */
export class StubCollector {
  readonly stubs: Stub[] = [];
  /** `from module import name` lines the code needs beyond pyspark.sql's, by module. */
  readonly imports = new Map<string, Set<string>>();

  /** Notes that the code uses `name` from `module`. */
  useImport(module: string, name: string): void {
    const names = this.imports.get(module) ?? new Set<string>();
    names.add(name);
    this.imports.set(module, names);
  }

  /** The import lines, sorted. */
  importLines(): string[] {
    return [...this.imports].sort(([a], [b]) => a.localeCompare(b)).map(([m, names]) => `from ${m} import ${[...names].sort().join(', ')}`);
  }
  private readonly used = new Set<string>();
  private readonly byKey = new Map<unknown, string>();

  /** Registers a stub (once per `key`) and returns the name to call it by. */
  add(stub: Stub): string {
    if (stub.key !== undefined && this.byKey.has(stub.key)) return this.byKey.get(stub.key)!;
    let name = stub.name;
    for (let i = 2; this.used.has(name); i++) name = `${stub.name}_${i}`;
    this.used.add(name);
    this.stubs.push({ ...stub, name });
    if (stub.key !== undefined) this.byKey.set(stub.key, name);
    return name;
  }

  /** The stubs as Python definitions that raise until a person writes their body. */
  render(): string[] {
    const out: string[] = [];
    for (const s of this.stubs) {
      out.push('');
      out.push(`# STUB (${s.where}): no PySpark equivalent was generated for this TypeScript function.`);
      out.push('# Write its Python body; the original is:');
      for (const line of s.source.trim().split('\n')) out.push(`#     ${line}`);
      if (s.decorator) out.push(s.decorator);
      out.push(`def ${s.name}(${s.params.join(', ')}):`);
      out.push(`    raise NotImplementedError(${pyStr(`${s.name}: translate the TypeScript body shown above`)})`);
    }
    return out;
  }
}
