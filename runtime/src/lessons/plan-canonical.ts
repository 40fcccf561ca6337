/**
 * A submission's logical plan in a canonical text, so that two submissions that build the same plan
 * in different words read the same: what an instructor groups a class by.
 *
 *   canonical(plan) = one line per operator, children indented under their parent:
 *     Aggregate by [node_name, window(ts, '60s')] computing [avg(temperature) as avg_temp, count(*) as readings]
 *       Watermark ts 30s
 *         Project [from_json(cast(value as string), 'node_name string, temperature double, ts timestamp')]
 *           Source kafka [sensors.temperature]
 *
 * What it forgets: the learner's variable names (they are not in the plan), the aliases of every
 * operator but the last (whose names are the query's output), qualifiers (`data.ts` is `ts`), a chain
 * of projections (one Project, listing only the expressions that compute something), the order of commutative things (grouping keys, aggregates, AND/OR conjuncts, the operands
 * of `+`, `*`, `=`), and how literals are written (`30.0` is `30`, `1 minute` is `60s`, `mean` is `avg`,
 * `count(1)` is `count(*)`). Pure: no `node:*`.
 */
import type { PlanSummary } from '../jobs/check-ipc.js';

const UNIT_SECONDS: Record<string, number> = { millisecond: 0.001, second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

/** `1 minute`, `60 seconds`, `60000 milliseconds` → `60s`. */
function intervals(s: string): string {
  return s.replace(/\b(\d+(?:\.\d+)?)\s*(millisecond|second|minute|hour|day|week)s?\b/g, (_m, n: string, unit: string) => `${Number(n) * UNIT_SECONDS[unit]!}s`);
}

/** The index of the parenthesis that closes the one at `open`, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** `s` split on `sep` where it is outside every parenthesis. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (depth === 0 && s.startsWith(sep, i)) {
      out.push(s.slice(from, i));
      from = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

const COMMUTATIVE = [' or ', ' and ', ' = ', ' + ', ' * '];

/** Sorts the operands of commutative operators, inside every pair of parentheses too. */
function commute(s: string): string {
  for (const op of COMMUTATIVE) {
    const parts = splitTop(s, op);
    if (parts.length > 1) return parts.map((p) => commute(p.trim())).flatMap((p) => flatten(p, op)).sort().join(op);
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const j = s[i] === '(' ? closing(s, i) : -1;
    if (j < 0) {
      out += s[i];
      continue;
    }
    out += `(${commute(s.slice(i + 1, j))})`;
    i = j;
  }
  return out;
}

/** `(a and b)` inside an AND is `a`, `b`: nested operands of one operator are one list. */
function flatten(part: string, op: string): string[] {
  if (part.startsWith('(') && closing(part, 0) === part.length - 1) {
    const parts = splitTop(part.slice(1, -1), op);
    if (parts.length > 1) return parts;
  }
  return [part];
}

/** One expression (as `exprStructure` writes it), canonical; `aliases` keeps its own `AS name`. */
export function canonicalExpr(sql: string, aliases = true): string {
  let s = sql.toLowerCase().replace(/`/g, '').replace(/\s+/g, ' ').trim();
  // Only the alias of the whole expression: one inside (a struct's field name) is data.
  if (!aliases) s = s.replace(/ as [a-z_][a-z0-9_]*$/, '');
  s = s.replace(/\b[a-z_][a-z0-9_]*\.(?=[a-z_*])/g, '');
  s = s.replace(/\b(\d+)\.0+\b/g, '$1');
  s = intervals(s);
  s = s.replace(/\bmean\(/g, 'avg(').replace(/\bcount\(1\)/g, 'count(*)');
  return commute(s);
}

const sorted = (xs: readonly string[], aliases: boolean) => [...new Set(xs.map((x) => canonicalExpr(x, aliases)))].sort();

/** Whether an expression only names a column (or all of them): a projection that computes nothing. */
const plain = (e: string) => /^(\*|[a-z_][a-z0-9_]*)$/.test(e);

/** The canonical text of a plan: one operator a line, children indented under it. */
export function canonicalPlan(plan: PlanSummary): string {
  return lines(plan, 0).join('\n');
}

function lines(p: PlanSummary, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const below = (children: readonly PlanSummary[]) => children.flatMap((c) => lines(c, depth + 1));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  switch (p.kind) {
    case 'Project': {
      // A chain of projections reads as one: the expressions any of them computes.
      const exprs: string[] = [];
      let q: PlanSummary = p;
      while (q.kind === 'Project' && q.children.length === 1) {
        exprs.push(...list(q.facts.exprs));
        q = q.children[0]!;
      }
      const computed = sorted(exprs, depth === 0).filter((e) => !plain(e));
      // A projection with no child or several (never the engine's, perhaps a faked plan's) lists its children as they are.
      return [`${pad}Project [${computed.join(', ')}]`, ...(q === p ? below(p.children) : lines(q, depth + 1))];
    }
    case 'StreamingRelation':
      return [`${pad}Source ${String(p.facts.format ?? '?').toLowerCase()} [${[...list(p.facts.topics)].sort().join(', ')}]`, ...below(p.children)];
    case 'EventTimeWatermark':
      return [`${pad}Watermark ${canonicalExpr(String(p.facts.column))} ${Number(p.facts.delayMs) / 1000}s`, ...below(p.children)];
    case 'Aggregate':
      return [`${pad}Aggregate by [${sorted(list(p.facts.groupBy), false).join(', ')}] computing [${sorted(list(p.facts.aggregates), depth === 0).join(', ')}]`, ...below(p.children)];
    case 'Filter':
      return [`${pad}Filter ${canonicalExpr(String(p.facts.condition))}`, ...below(p.children)];
    case 'LocalRelation':
      return [`${pad}Rows ${String(p.facts.rows)}`, ...below(p.children)];
    case 'Union': {
      const children = p.children.map((c) => lines(c, depth + 1).join('\n')).sort();
      return [`${pad}Union`, ...children];
    }
    default:
      return [`${pad}${p.kind}`, ...below(p.children)];
  }
}

/** The canonical plans of a submission's functions (as its checks called them), as one text. */
export function canonicalPlans(plans: Readonly<Record<string, PlanSummary>>): Record<string, string> {
  return Object.fromEntries(Object.keys(plans).sort().map((fn) => [fn, canonicalPlan(plans[fn]!)]));
}
