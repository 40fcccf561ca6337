/** Pekko's `Keep`: which materialized value a composition keeps. */
import { NotUsed } from './graph.js';

export const Keep = Object.freeze({
  /** The left (upstream) value. */
  left: <L, R>(l: L, _r: R): L => l,
  /** The right (downstream) value. */
  right: <L, R>(_l: L, r: R): R => r,
  /** Both, as a pair `[left, right]`. */
  both: <L, R>(l: L, r: R): [L, R] => [l, r],
  /** Neither (`NotUsed`). */
  none: <L, R>(_l: L, _r: R): NotUsed => NotUsed,
});
