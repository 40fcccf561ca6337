/** Small helpers for writing operator blueprints. */
import type { Attributes } from '../attributes.js';
import { NotUsed, type MaterializationContext, type StageBlueprint } from '../graph.js';
import type { GraphStageLogic } from '../stage-logic.js';

/** A blueprint whose logic has no materialized value. */
export function simpleStage(name: string, ports: StageBlueprint['ports'], makeLogic: (attributes: Attributes, context: MaterializationContext) => GraphStageLogic): StageBlueprint<NotUsed> {
  return { name, ports, create: (attributes, context) => ({ logic: makeLogic(attributes, context), mat: NotUsed }) };
}

/** A blueprint whose logic comes with a materialized value. */
export function matStage<M>(name: string, ports: StageBlueprint['ports'], make: (attributes: Attributes, context: MaterializationContext) => { logic: GraphStageLogic; mat: M }): StageBlueprint<M> {
  return { name, ports, create: make };
}

/** Checks a positive integer argument the way Pekko's `require` does. */
export function requirePositive(value: number, message: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`requirement failed: ${message}`);
}
