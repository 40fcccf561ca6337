/**
 * The learner's names in error messages. esbuild turns `import { functions as F } from "streamlab"`
 * into `var import_streamlab = require("streamlab")` and `F.windw(…)` into
 * `import_streamlab.functions.windw(…)` (a named import called as `(0, import_streamlab.col)(…)`), so
 * V8's "… is not a function" names the bundle's variable. This puts back what the learner wrote, read
 * from their own `import … from "streamlab"` lines: `F.windw`, `col`, `sl.functions.windw` for
 * `import * as sl`.
 */

/** How one file imports `streamlab`: named imports by exported name → local name, and a namespace. */
interface StreamlabImports {
  named: Map<string, string>;
  namespace: string | null;
}

const IMPORT = /\bimport\s+(?!type\s+\{)(?:type\s+)?([^;]*?)\s+from\s+["']streamlab["']/g;
const IDENT = /^[A-Za-z_$][\w$]*$/;

function importsOf(sources: readonly string[]): StreamlabImports {
  const named = new Map<string, string>();
  let namespace: string | null = null;
  for (const source of sources) {
    for (const m of source.matchAll(IMPORT)) {
      const clause = m[1]!;
      const ns = /\*\s*as\s+([A-Za-z_$][\w$]*)/.exec(clause);
      if (ns) namespace ??= ns[1]!;
      const braces = /\{([^}]*)\}/.exec(clause);
      for (const spec of braces?.[1]?.split(',') ?? []) {
        const parts = spec.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
        const [exported, local = exported] = parts.map((p) => p.trim());
        if (exported && local && IDENT.test(exported) && IDENT.test(local) && !named.has(exported)) named.set(exported, local);
      }
      const def = /^([A-Za-z_$][\w$]*)\s*(?:,|$)/.exec(clause.trim());
      if (def && def[1] !== 'type') named.set('default', def[1]!);
    }
  }
  return { named, namespace };
}

/** `message` with the bundle's `import_streamlab…` names replaced by the learner's own. */
export function learnerNames(message: string, sources: readonly string[]): string {
  if (!message.includes('import_streamlab')) return message;
  const { named, namespace } = importsOf(sources);
  return message
    // A named import called as a function: `(0 , import_streamlab.col)`.
    .replace(/\(0\s*,\s*(import_streamlab\d*(?:\.[\w$]+)+)\)/g, '$1')
    .replace(/\bimport_streamlab\d*((?:\.[\w$]+)*)/g, (_whole, path: string) => {
      const parts = path.split('.').slice(1);
      if (parts.length === 0) return namespace ?? 'streamlab';
      const [first, ...rest] = parts as [string, ...string[]];
      const local = named.get(first);
      if (local) return [local, ...rest].join('.');
      if (namespace) return [namespace, first, ...rest].join('.');
      return parts.join('.');
    });
}

/** The learner's names for the `functions` module (`F` for `functions as F`, `sl.functions` for `import * as sl`). */
export function functionsNames(sources: readonly string[]): string[] {
  const { named, namespace } = importsOf(sources);
  return [named.get('functions'), namespace ? `${namespace}.functions` : undefined, 'streamlab.functions'].filter((n): n is string => n !== undefined);
}
