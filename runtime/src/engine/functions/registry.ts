/**
 * The function registry: every built-in function, one entry each (see `function-spec.ts`), looked
 * up by name or alias, case-insensitively, as Spark's `FunctionRegistry` does. Adding a function is
 * one entry in its family's file; the compiler, the export, the `functions` facade and the docs
 * pick it up from here.
 */
import { children, type Expr } from '../expressions/expr.js';
import { aggregateFunctions } from './aggregate.js';
import { collectionFunctions } from './collection.js';
import { conditionalFunctions } from './conditional.js';
import { datetimeFunctions } from './datetime.js';
import type { FunctionSpec } from './function-spec.js';
import { hashFunctions } from './hash.js';
import { higherOrderFunctions } from './higher-order.js';
import { jsonFunctions } from './json.js';
import { mathFunctions } from './math.js';
import { miscFunctions } from './misc.js';
import { stringFunctions } from './string.js';
import { windowFunctions } from './window.js';

/** A set of function entries with name and alias lookup. */
export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionSpec>();
  private readonly entries: FunctionSpec[] = [];

  constructor(specs: readonly FunctionSpec[]) {
    for (const s of specs) this.register(s);
  }

  /** Adds an entry; a name or alias used twice is a programming error. */
  register(spec: FunctionSpec): void {
    for (const n of [spec.name, ...(spec.aliases ?? [])]) {
      const key = n.toLowerCase();
      if (this.byName.has(key)) throw new Error(`function ${n} is registered twice`);
      this.byName.set(key, spec);
    }
    this.entries.push(spec);
  }

  /** The entry for a name or alias, if any. */
  lookup(name: string): FunctionSpec | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** Whether the name is an aggregate function. */
  isAggregate(name: string): boolean {
    return this.lookup(name)?.kind === 'aggregate';
  }

  /** Whether an expression calls an aggregate function anywhere. */
  containsAggregate(e: Expr): boolean {
    let found = false;
    const walk = (x: Expr): void => {
      // An aggregate under OVER is a window aggregate, computed per row, not a grouping.
      if (x.kind === 'over') {
        for (const c of [...x.spec.partitionBy, ...x.spec.orderBy]) walk(c);
        return;
      }
      if (x.kind === 'call' && this.isAggregate(x.name)) found = true;
      for (const c of children(x)) walk(c);
    };
    walk(e);
    return found;
  }

  /** Every entry, in registration order. */
  list(): readonly FunctionSpec[] {
    return this.entries;
  }

  /** Every SQL name and alias, sorted. */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

/** The built-in functions. */
export const functionRegistry = new FunctionRegistry([
  ...aggregateFunctions,
  ...mathFunctions,
  ...stringFunctions,
  ...datetimeFunctions,
  ...conditionalFunctions,
  ...collectionFunctions,
  ...higherOrderFunctions,
  ...jsonFunctions,
  ...hashFunctions,
  ...miscFunctions,
  ...windowFunctions,
]);
