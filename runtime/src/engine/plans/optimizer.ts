/**
 * The one optimizer rule whose effect a learner can see: Spark pushes a filter below
 * `withWatermark` when it does not read the event-time column, so rows it drops never move the
 * watermark (`withWatermark(...).where("kind = 'click'")` keeps the watermark of the clicks only).
 * The filter is followed down through projections (their aliases substituted), as Spark's
 * PushPredicateThroughNonJoin does, split into conjuncts; conjuncts that read the event time stay.
 */
import { projectionName } from '../expressions/expr-names.js';
import { node, transformExpr, visitExpr, type Expr } from '../expressions/expr.js';
import { planNode, type LogicalPlan } from './plan.js';

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function and(es: readonly Expr[]): Expr {
  return es.reduce((a, b) => node({ kind: 'binary', op: 'and', left: a, right: b }));
}

const bare = (name: string) => name.replace(/^`|`$/g, '').toLowerCase();

/** The top-level column names an expression reads. */
function references(e: Expr): Set<string> {
  const out = new Set<string>();
  visitExpr(e, (x) => {
    if (x.kind === 'col') out.add(bare(x.name.startsWith('`') ? x.name : x.name.split('.')[0]!));
  });
  return out;
}

/** The condition rewritten below a projection, or undefined when a column it reads is not a plain output. */
function throughProject(cond: Expr, exprs: readonly Expr[]): Expr | undefined {
  const outputs = new Map<string, Expr>();
  for (const e of exprs) {
    if (e.kind === 'star') return undefined;
    outputs.set(projectionName(e).toLowerCase(), e.kind === 'alias' ? e.expr : e);
  }
  let ok = true;
  const rewritten = transformExpr(cond, (x) => {
    if (x.kind !== 'col') return x;
    const whole = outputs.get(bare(x.name));
    if (whole) return whole;
    if (!x.name.startsWith('`') && x.name.includes('.')) {
      const [head, ...rest] = x.name.split('.');
      const base = outputs.get(head!.toLowerCase());
      if (base && base.kind === 'col') return node({ kind: 'col', name: [base.name, ...rest].join('.') });
    }
    ok = false;
    return x;
  });
  return ok ? rewritten : undefined;
}

/** Finds the watermark under a chain of projections; pushes what it can below it. */
function pushInto(cond: Expr, child: LogicalPlan): LogicalPlan | undefined {
  if (child.kind === 'Project') {
    const below = throughProject(cond, child.exprs);
    if (!below) return undefined;
    const pushed = pushInto(below, child.child);
    return pushed ? planNode({ ...child, child: pushed }) : undefined;
  }
  if (child.kind !== 'EventTimeWatermark') return undefined;
  const time = bare(child.column);
  const parts = conjuncts(cond);
  if (parts.some((p) => references(p).has(time))) return undefined;
  return planNode({ ...child, child: planNode({ kind: 'Filter', child: child.child, condition: and(parts) }) });
}

/** The plan with filters pushed below watermarks where Spark pushes them. */
export function optimize(p: LogicalPlan): LogicalPlan {
  switch (p.kind) {
    case 'StreamingRelation': case 'LocalRelation': return p;
    case 'Union': return planNode({ ...p, children: p.children.map(optimize) });
    case 'Join': return planNode({ ...p, left: optimize(p.left), right: optimize(p.right) });
    case 'Filter': {
      const child = optimize(p.child);
      const parts = conjuncts(p.condition);
      const stay = parts.filter((c) => !pushable(c, child));
      const go = parts.filter((c) => pushable(c, child));
      if (go.length === 0) return child === p.child ? p : planNode({ ...p, child });
      const below = pushInto(and(go), child)!;
      return stay.length === 0 ? below : planNode({ kind: 'Filter', child: below, condition: and(stay) });
    }
    default: {
      const child = optimize((p as { child: LogicalPlan }).child);
      return child === (p as { child: LogicalPlan }).child ? p : planNode({ ...p, child } as LogicalPlan);
    }
  }
}

/** Whether a conjunct would reach below a watermark under `child`. */
function pushable(c: Expr, child: LogicalPlan): boolean {
  return pushInto(c, child) !== undefined;
}
