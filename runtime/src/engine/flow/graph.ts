/**
 * Blueprints: what `Source`, `Flow`, `Sink` and `RunnableGraph` hold before they run. A blueprint is a
 * tree of modules; a leaf is one operator, an inner node composes its children in a line and says how
 * their materialized values combine (`Keep.left` for `via`, a `mapMaterializedValue` function, ...).
 * Attributes set on an inner node apply to every operator below it that does not set its own.
 *
 * Materializing a runnable blueprint (first leaf a source, last leaf a sink):
 *
 *   flatten the tree into operators, each with its inherited attributes
 *   create one logic per operator (collecting its materialized value) and link neighbours
 *   compute the materialized value bottom-up through the combine functions
 *   start the interpreter (every preStart, then the events they raised)
 */
import { Attributes } from './attributes.js';
import type { Clock } from '../clock.js';
import { Connection, GraphInterpreter, type InterpreterListener } from './interpreter.js';
import type { GraphStageLogic } from './stage-logic.js';

/** Pekko's `NotUsed`: the materialized value of operators that have none. */
export const NotUsed = Object.freeze({ toString: () => 'NotUsed' }) as NotUsed;
/** The type of {@link NotUsed}. */
export interface NotUsed {
  readonly __notUsed?: never;
}

/** Pekko's `Done`: completes a promise that carries no value. */
export const Done = Object.freeze({ toString: () => 'Done' }) as Done;
/** The type of {@link Done}. */
export interface Done {
  readonly __done?: never;
}

/** What operators may reach while being created. */
export interface MaterializationContext {
  readonly clock: Clock;
  /** Where `log(...)` and friends print. */
  readonly output: (line: string) => void;
  /** An element made from a Kafka record produced at `timestampMs` reached the end of the stream. */
  readonly recordArrival?: (timestampMs: number) => void;
}

/** One operator's blueprint: makes a fresh logic (and its materialized value) per materialization. */
export interface StageBlueprint<M = unknown> {
  /** The operator's name in messages (`map`, `mapAsync`, ...). */
  readonly name: string;
  readonly ports: 'source' | 'flow' | 'sink';
  create(attributes: Attributes, context: MaterializationContext): { logic: GraphStageLogic; mat: M };
}

/** A node of a blueprint tree. */
export type Module =
  | { readonly kind: 'stage'; readonly stage: StageBlueprint; readonly attributes: Attributes }
  | {
      readonly kind: 'composite';
      readonly children: readonly Module[];
      readonly attributes: Attributes;
      /** Combines the children's materialized values. */
      readonly mat: (values: readonly unknown[]) => unknown;
    };

/** A module of one operator. */
export function stageModule(stage: StageBlueprint): Module {
  return { kind: 'stage', stage, attributes: Attributes.none };
}

/** Two modules in a line, combining their materialized values. */
export function linear(left: Module, right: Module, combine: (l: unknown, r: unknown) => unknown): Module {
  return { kind: 'composite', children: [left, right], attributes: Attributes.none, mat: (v) => combine(v[0], v[1]) };
}

/** The same module with its materialized value mapped. */
export function mapMat(module: Module, f: (m: unknown) => unknown): Module {
  return { kind: 'composite', children: [module], attributes: Attributes.none, mat: (v) => f(v[0]) };
}

/** The same module with its own attributes replaced (`withAttributes`). */
export function withAttributes(module: Module, attributes: Attributes): Module {
  return { ...module, attributes };
}

/** The same module with attributes added to its own (`addAttributes`). */
export function addAttributes(module: Module, attributes: Attributes): Module {
  return { ...module, attributes: module.attributes.and(attributes) };
}

/** An empty line (the identity flow); materializes `NotUsed`. */
export const EMPTY_MODULE: Module = { kind: 'composite', children: [], attributes: Attributes.none, mat: () => NotUsed };

/** The leaves of a module, with the attributes each inherits. */
export function flatten(module: Module, inherited: Attributes = Attributes.none): Array<{ stage: StageBlueprint; attributes: Attributes }> {
  const attrs = inherited.and(module.attributes);
  if (module.kind === 'stage') return [{ stage: module.stage, attributes: attrs }];
  return module.children.flatMap((c) => flatten(c, attrs));
}

/** A materialized stream: its interpreter and its materialized value. */
export interface Materialized<M> {
  readonly interpreter: GraphInterpreter;
  readonly value: M;
}

/** Materializes a runnable module (source … sink) and starts it. */
export function materialize<M>(module: Module, context: MaterializationContext, listener?: InterpreterListener): Materialized<M> {
  const leaves = flatten(module);
  const first = leaves[0]?.stage;
  const last = leaves[leaves.length - 1]?.stage;
  if (!first || first.ports !== 'source') throw new Error('A runnable graph starts with a Source');
  if (!last || last.ports !== 'sink') throw new Error('A runnable graph ends with a Sink');
  const logics: GraphStageLogic[] = [];
  const values: unknown[] = [];
  for (const leaf of leaves) {
    const { logic, mat } = leaf.stage.create(leaf.attributes, context);
    logics.push(logic);
    values.push(mat);
  }
  const connections: Connection[] = [];
  for (let i = 0; i + 1 < logics.length; i++) {
    const up = logics[i]!;
    const down = logics[i + 1]!;
    connections.push(new Connection(i, up, up.shape.outlets[0]!, down, down.shape.inlets[0]!));
  }
  let next = 0;
  const matOf = (m: Module): unknown => {
    if (m.kind === 'stage') return values[next++];
    return m.mat(m.children.map(matOf));
  };
  const value = matOf(module) as M;
  const interpreter = new GraphInterpreter(logics, connections, context.clock, listener, context.recordArrival);
  interpreter.init();
  return { interpreter, value };
}
