/**
 * Reading the arguments of the overloaded operators the way Pekko's Scala and Java DSLs write them
 * (TypeScript has no currying, so `groupedWeightedWithin(maxWeight, d)(costFn)` becomes one call).
 */
import { durationMs, type FlowDuration } from './duration.js';
import { groupedWeightedWithinStage } from './stages/grouped-within.js';
import { AUTOMATIC_MAXIMUM_BURST, throttleStage } from './stages/throttle.js';
import type { ThrottleMode } from './throttle-mode.js';

const one = () => 1;

/** `throttle(elements, per)`, `throttle(elements, per, maximumBurst, mode)`, `throttle(cost, per, costCalculation)`, `throttle(cost, per, maximumBurst, costCalculation, mode)`. */
export function throttleFromArgs<T>(args: readonly unknown[]) {
  const [cost, per, a, b, c] = args;
  if (typeof cost !== 'number') throw new TypeError(`throttle: expected the number of elements (or cost units) first, got ${String(cost)}`);
  const perMs = durationMs(per as FlowDuration, 'throttle per');
  const modeOf = (m: unknown) => {
    const kind = (m as ThrottleMode | undefined)?.kind;
    if (kind !== 'shaping' && kind !== 'enforcing') throw new TypeError(`throttle: expected ThrottleMode.Shaping or ThrottleMode.Enforcing, got ${String(m)}`);
    return kind;
  };
  switch (args.length) {
    case 2:
      return throttleStage<T>(cost, perMs, AUTOMATIC_MAXIMUM_BURST, one, 'shaping');
    case 3:
      return throttleStage<T>(cost, perMs, AUTOMATIC_MAXIMUM_BURST, a as (x: T) => number, 'shaping');
    case 4:
      return throttleStage<T>(cost, perMs, a as number, one, modeOf(b));
    case 5:
      return throttleStage<T>(cost, perMs, a as number, b as (x: T) => number, modeOf(c));
    default:
      throw new TypeError(`throttle: expected 2 to 5 arguments, got ${args.length}`);
  }
}

/** `groupedWeightedWithin(maxWeight, [maxNumber,] costFn, d)` (Java order) or with `d` before `costFn`. */
export function groupedWeightedWithinFromArgs<T>(args: readonly unknown[]) {
  const fnAt = args.findIndex((a) => typeof a === 'function');
  if (fnAt < 0) throw new TypeError('groupedWeightedWithin: expected a cost function');
  const costFn = args[fnAt] as (x: T) => number;
  const rest = args.filter((_, i) => i !== fnAt);
  const maxWeight = rest[0] as number;
  if (rest.length === 2) {
    return groupedWeightedWithinStage<T>('groupedWeightedWithin', maxWeight, Infinity, costFn, durationMs(rest[1] as FlowDuration, 'groupedWeightedWithin interval'));
  }
  if (rest.length === 3) {
    return groupedWeightedWithinStage<T>('groupedWeightedWithin', maxWeight, rest[1] as number, costFn, durationMs(rest[2] as FlowDuration, 'groupedWeightedWithin interval'));
  }
  throw new TypeError('groupedWeightedWithin: expected (maxWeight, costFn, interval) or (maxWeight, maxNumber, costFn, interval)');
}

/** `groupedWithin(n, d)`: count only. */
export function groupedWithinFromArgs<T>(n: number, d: FlowDuration) {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('requirement failed: maxNumber must be greater than 0');
  return groupedWeightedWithinStage<T>('groupedWithin', Infinity, n, () => 0, durationMs(d, 'groupedWithin interval'));
}
