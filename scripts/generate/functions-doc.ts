/**
 * Renders `docs/functions.md`: every function of the registry by family, with its SQL names, its
 * PySpark signature, what it does and an example checked against PySpark 3.5.7.
 */
import type { FunctionGroup, FunctionSpec, Param } from '../../runtime/src/engine/functions/function-spec.js';

const GROUPS: readonly [FunctionGroup, string][] = [
  ['aggregate', 'Aggregate functions'],
  ['window', 'Window functions'],
  ['math', 'Math functions'],
  ['string', 'String functions'],
  ['datetime', 'Date and time functions'],
  ['conditional', 'Conditional and null functions'],
  ['collection', 'Array functions'],
  ['map', 'Map functions'],
  ['struct', 'Struct functions'],
  ['json', 'JSON functions'],
  ['hash', 'Hash functions'],
  ['generator', 'Generators'],
  ['misc', 'Other functions'],
];

/** A paragraph under a family's heading, where the table alone would mislead. */
const INTROS: Partial<Record<FunctionGroup, string>> = {
  window: 'These, and every aggregate function, run over a window with `.over(spec)`: '
    + '`F.avg("x").over(Window.partitionBy("g").orderBy("d").rowsBetween(-6, Window.currentRow))`. '
    + 'Frames are `rowsBetween` with any bounds, or `rangeBetween` with unbounded and current-row bounds; '
    + "without a frame Spark's default applies (the whole partition, or from its start to the current row's "
    + 'peers when ordered). Static DataFrames only: Spark refuses them on streams, and so does Streamlab. '
    + 'SQL text with `OVER` is not parsed; write the window with the DataFrame API.',
};

function pyParam(p: Param, i: number, params: readonly Param[], variadic: boolean): string {
  if (p.py === 'columns' || (variadic && i === params.length - 1)) return `*${p.name}`;
  if (p.default !== undefined) return `${p.name}=${typeof p.default === 'string' ? JSON.stringify(p.default) : p.default === null ? 'None' : p.default === true ? 'True' : p.default === false ? 'False' : p.default}`;
  return p.optional ? `${p.name}=None` : p.name;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

/** The page's text. */
export function renderFunctionsDoc(specs: readonly FunctionSpec[]): string {
  const out: string[] = [
    '# Functions',
    '',
    '<!-- Generated from the function registry (runtime/src/engine/functions) by `npm run generate`; do not edit. -->',
    '',
    'Every function Streamlab evaluates, as in Spark SQL (`F.expr(...)`, `selectExpr`, `spark.sql`) and,',
    'where PySpark has it, as `functions.<name>` (`F.<name>` in pipelines). Arguments of another type are',
    "cast where Spark casts them and refused with Spark's `DATATYPE_MISMATCH` error where it does not.",
    'Examples show what PySpark 3.5.7 prints for the SQL expression.',
    '',
    `${specs.length} functions.`,
    '',
    '## Queries: `spark.sql`',
    '',
    '`spark.sql("SELECT ...")` reads a query over the temporary views (`df.createOrReplaceTempView("name")`,',
    'memory-sink tables by query name) and builds the plan the DataFrame API builds for it, so a query over a',
    'streaming view is a streaming DataFrame with its watermark, output modes, `explain` and PySpark export.',
    'It reads `[WITH name AS (query), ...] SELECT [DISTINCT] expr [[AS] alias], ... [FROM relation] [WHERE ...]',
    '[GROUP BY ...] [HAVING ...] [UNION [ALL] ...] [ORDER BY ...] [LIMIT n]`: expressions are those of this page;',
    'a relation is a view or `(query) [alias]`, joined with `[INNER | LEFT | RIGHT | FULL [OUTER] | LEFT SEMI |',
    'LEFT ANTI | CROSS] JOIN ... ON ... | USING (...)` or commas; `GROUP BY` takes expressions (`window(ts,',
    "'1 minute')`), select-list positions and aliases. Columns are named by their view's name or alias",
    "(`o.id`). `CREATE [OR REPLACE] TEMP VIEW name AS query` registers a query as a view. `INTERSECT`, `EXCEPT`,",
    '`OVER`, `ROLLUP`/`CUBE`, table-valued functions, queries of files by path and other statements (`SHOW`,',
    '`INSERT`, ...) are refused with `[UNSUPPORTED_FEATURE]` and the way to write them. `spark.catalog` (`listTables`, `tableExists`,',
    '`dropTempView`), `spark.table(name)`, `spark.range(start, end, step)` and `spark.udf.register(name, f,',
    'returnType)` (the function is then callable in `spark.sql`, `selectExpr`, `filter` and `orderBy` text) work as in PySpark.',
  ];
  for (const [group, title] of GROUPS) {
    const rows = specs.filter((s) => s.group === group && s.name !== 'interval_literal').sort((a, b) => a.name.localeCompare(b.name));
    if (rows.length === 0) continue;
    out.push('', `## ${title}`);
    if (INTROS[group]) out.push('', INTROS[group]!);
    out.push('', '| SQL | PySpark | what it does | example |', '| --- | --- | --- | --- |');
    for (const s of rows) {
      const sql = [s.name, ...(s.aliases ?? [])].map((n) => `\`${n}\``).join(', ');
      const params = s.params.filter((p) => !p.sqlOnly).map((p, i, all) => pyParam(p, i, all, s.variadic === true)).join(', ');
      const py = s.py === null ? '—' : [s.py ?? s.name, ...(s.pyAliases ?? [])].map((n) => `\`F.${n}(${params})\``).join(', ');
      const example = s.example ? `\`${cell(s.example.sql)}\` → \`${cell(s.example.result)}\`` : '';
      out.push(`| ${sql} | ${cell(py)} | ${cell(s.doc)} | ${example} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
