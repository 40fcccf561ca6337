/**
 * Operators' logic, after Pekko's `GraphStageLogic`: ports, the handlers the interpreter calls
 * (`onPush`, `onPull`, `onUpstreamFinish`, `onUpstreamFailure`, `onDownstreamFinish`), the actions an
 * operator takes (`pull`, `push`, `grab`, `complete`, `fail`, `cancel`, `completeStage`, `failStage`,
 * `emit`), asynchronous callbacks and timers on the materializer's clock.
 *
 * The rules every operator lives by (reactive streams' demand protocol, one element per pull):
 *
 *   pull(in)     at most one outstanding pull per inlet; the answer is one onPush (or completion)
 *   push(out, x) only after onPull on that outlet, and only once per onPull
 *   grab(in)     takes the pushed element; an element not grabbed stays available until the next pull
 *   complete/fail(out), cancel(in)   close one port; an operator whose ports are all closed stops
 *   completeStage()/failStage(e)     close every port (cancel inlets, complete or fail outlets)
 *
 * Handlers run on the interpreter, one event at a time; asynchronous work (a promise, a timer) comes back
 * through `getAsyncCallback(...).invoke(value)`, which the interpreter runs as its own event.
 */
import type { Attributes } from './attributes.js';
import { NoMoreElementsNeeded, NonFailureCancellation, StageWasCompleted } from './errors.js';
import type { Connection, GraphInterpreter } from './interpreter.js';

/** An input port. */
export class Inlet<T = unknown> {
  /** Never set: carries the element type. */
  declare readonly elementType?: T;
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

/** An output port. */
export class Outlet<T = unknown> {
  declare readonly elementType?: T;
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

/** Callbacks for an inlet. Omitted finish/failure handlers complete or fail the operator. */
export interface InHandler {
  onPush(): void;
  onUpstreamFinish?(): void;
  onUpstreamFailure?(error: unknown): void;
}

/** Callbacks for an outlet. An omitted onDownstreamFinish stops the operator. */
export interface OutHandler {
  onPull(): void;
  onDownstreamFinish?(cause: unknown): void;
}

/** The ports of an operator. */
export interface Shape {
  readonly inlets: readonly Inlet[];
  readonly outlets: readonly Outlet[];
}

/** A callback that re-enters the operator from asynchronous code (Pekko's `AsyncCallback`). */
export interface AsyncCallback<T> {
  invoke(value: T): void;
}

type Emission = { kind: 'elem'; elem: unknown; andThen?: () => void } | { kind: 'complete' };

interface Timer {
  id: number;
  abort: AbortController;
}

/** Base class of every operator's logic. One instance per materialization. */
export abstract class GraphStageLogic {
  /** @internal set by the interpreter */
  stageId = -1;
  /** @internal set by the interpreter */
  interpreter!: GraphInterpreter;
  /** @internal */
  readonly connections = new Map<Inlet | Outlet, Connection>();
  private readonly inHandlers = new Map<Inlet, InHandler>();
  private readonly outHandlers = new Map<Outlet, OutHandler>();
  private readonly emitting = new Map<Outlet, Emission[]>();
  private readonly timers = new Map<unknown, Timer>();
  private timerIds = 0;

  constructor(readonly shape: Shape, readonly attributes: Attributes) {}

  /** A name for messages: the `name` attribute or the class name. */
  get stageName(): string {
    return this.attributes.nameOrDefault(this.constructor.name.replace(/Logic$/, ''));
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Runs once before any event reaches the operator. */
  preStart(): void {}

  /** Runs once after the operator stopped (all ports closed). */
  postStop(): void {}

  /** Runs before postStop when the stream is torn down before this operator finished (sinks fail their result). */
  onAbruptStop(_error: Error): void {}

  // ---- handlers --------------------------------------------------------------------------------

  protected setHandler(port: Inlet, handler: InHandler): void;
  protected setHandler(port: Outlet, handler: OutHandler): void;
  protected setHandler(port: Inlet | Outlet, handler: InHandler | OutHandler): void {
    if (port instanceof Inlet) this.inHandlers.set(port, handler as InHandler);
    else this.outHandlers.set(port, handler as OutHandler);
  }

  /** Sets one handler object for an inlet and an outlet. */
  protected setHandlers(inlet: Inlet, outlet: Outlet, handler: InHandler & OutHandler): void {
    this.setHandler(inlet, handler);
    this.setHandler(outlet, handler);
  }

  /** @internal */
  dispatchPush(inlet: Inlet): void {
    this.inHandler(inlet).onPush();
  }

  /** @internal */
  dispatchUpstreamFinish(inlet: Inlet): void {
    const h = this.inHandler(inlet);
    if (h.onUpstreamFinish) h.onUpstreamFinish();
    else this.completeStage();
  }

  /** @internal */
  dispatchUpstreamFailure(inlet: Inlet, error: unknown): void {
    const h = this.inHandler(inlet);
    if (h.onUpstreamFailure) h.onUpstreamFailure(error);
    else this.failStage(error);
  }

  /** @internal */
  dispatchPull(outlet: Outlet): void {
    const queue = this.emitting.get(outlet);
    if (queue && queue.length > 0) {
      this.emitNext(outlet, queue);
      return;
    }
    this.outHandler(outlet).onPull();
  }

  /** @internal */
  dispatchDownstreamFinish(outlet: Outlet, cause: unknown): void {
    this.emitting.delete(outlet);
    const h = this.outHandler(outlet);
    if (h.onDownstreamFinish) h.onDownstreamFinish(cause);
    else this.cancelStage(cause);
  }

  private inHandler(inlet: Inlet): InHandler {
    const h = this.inHandlers.get(inlet);
    if (!h) throw new Error(`No handler defined in stage [${this.stageName}] for port [${inlet.name}]`);
    return h;
  }

  private outHandler(outlet: Outlet): OutHandler {
    const h = this.outHandlers.get(outlet);
    if (!h) throw new Error(`No handler defined in stage [${this.stageName}] for port [${outlet.name}]`);
    return h;
  }

  private conn(port: Inlet | Outlet): Connection {
    const c = this.connections.get(port);
    if (!c) throw new Error(`Port [${port.name}] of [${this.stageName}] is not connected`);
    return c;
  }

  // ---- port actions ----------------------------------------------------------------------------

  /** Requests one element on the inlet. */
  protected pull(inlet: Inlet): void {
    this.interpreter.pull(this.conn(inlet));
  }

  /** Pulls unless the inlet is closed. */
  protected tryPull(inlet: Inlet): void {
    if (!this.isClosed(inlet)) this.pull(inlet);
  }

  /** Takes the element pushed on the inlet. */
  protected grab<T>(inlet: Inlet<T>): T {
    return this.interpreter.grab(this.conn(inlet)) as T;
  }

  /** Pushes one element downstream; allowed once after each onPull. */
  protected push<T>(outlet: Outlet<T>, elem: T): void {
    this.interpreter.push(this.conn(outlet), elem);
  }

  /** Whether the inlet has an element to grab, or the outlet may be pushed. */
  protected isAvailable(port: Inlet | Outlet): boolean {
    const c = this.conn(port);
    return port instanceof Inlet ? this.interpreter.inAvailable(c) : this.interpreter.outAvailable(c);
  }

  /** Whether a pull on the inlet is outstanding. */
  protected hasBeenPulled(inlet: Inlet): boolean {
    return this.interpreter.hasBeenPulled(this.conn(inlet));
  }

  /** Whether the port is closed. */
  protected isClosed(port: Inlet | Outlet): boolean {
    const c = this.conn(port);
    return port instanceof Inlet ? this.interpreter.inClosed(c) : this.interpreter.outClosed(c);
  }

  /** No more elements on this outlet (after any pending `emit`). */
  protected complete(outlet: Outlet): void {
    const queue = this.emitting.get(outlet);
    if (queue && queue.length > 0) queue.push({ kind: 'complete' });
    else this.interpreter.complete(this.conn(outlet));
  }

  /** Fails this outlet. */
  protected fail(outlet: Outlet, error: unknown): void {
    this.emitting.delete(outlet);
    this.interpreter.fail(this.conn(outlet), error);
  }

  /** Stops receiving from this inlet. */
  protected cancel(inlet: Inlet, cause: unknown = NoMoreElementsNeeded): void {
    this.interpreter.cancel(this.conn(inlet), cause);
  }

  /** Cancels every inlet and completes every outlet (after pending emits). */
  completeStage(): void {
    this.closeAll(StageWasCompleted, undefined);
  }

  /** Cancels every inlet and fails every outlet. */
  failStage(error: unknown): void {
    this.interpreter.noteFailure(error);
    this.closeAll(error, { error });
  }

  /** What happens when downstream cancels: completes, or fails when the cause is a failure (Pekko's PropagateFailure). */
  cancelStage(cause: unknown): void {
    if (cause instanceof NonFailureCancellation || cause === undefined) this.closeAll(cause ?? NoMoreElementsNeeded, undefined);
    else this.closeAll(cause, { error: cause });
  }

  private closeAll(cancelCause: unknown, failure: { error: unknown } | undefined): void {
    for (const inlet of this.shape.inlets) this.interpreter.cancel(this.conn(inlet), cancelCause);
    for (const outlet of this.shape.outlets) {
      if (failure) this.fail(outlet, failure.error);
      else this.complete(outlet);
    }
    this.interpreter.setKeepGoing(this, false);
  }

  /** Keeps the operator running after all its ports closed (until completeStage/failStage). */
  protected setKeepGoing(enabled: boolean): void {
    this.interpreter.setKeepGoing(this, enabled);
  }

  /**
   * Pushes `elem` now if the outlet was pulled, else on its next pull; `andThen` runs once it is pushed.
   * Emits queue up in order and run before the outlet's own onPull handler.
   */
  protected emit<T>(outlet: Outlet<T>, elem: T, andThen?: () => void): void {
    const queue = this.emitting.get(outlet);
    if ((!queue || queue.length === 0) && this.isAvailable(outlet)) {
      this.push(outlet, elem);
      andThen?.();
      return;
    }
    const q = queue ?? [];
    q.push({ kind: 'elem', elem, ...(andThen ? { andThen } : {}) });
    this.emitting.set(outlet, q);
  }

  /** Pushes each element with `emit`, in order. */
  protected emitMultiple<T>(outlet: Outlet<T>, elems: Iterable<T>, andThen?: () => void): void {
    const list = [...elems];
    if (list.length === 0) {
      andThen?.();
      return;
    }
    list.forEach((e, i) => this.emit(outlet, e, i === list.length - 1 ? andThen : undefined));
  }

  private emitNext(outlet: Outlet, queue: Emission[]): void {
    const next = queue.shift()!;
    if (next.kind === 'complete') {
      this.interpreter.complete(this.conn(outlet));
      return;
    }
    this.push(outlet, next.elem);
    next.andThen?.();
    // A completion queued behind the last element goes out right after it.
    if (queue[0]?.kind === 'complete') {
      queue.shift();
      this.interpreter.complete(this.conn(outlet));
    }
  }

  // ---- asynchronous input and timers -----------------------------------------------------------

  /** A callback that runs `handler` on the interpreter as its own event (ignored once the operator stopped). */
  protected getAsyncCallback<T>(handler: (value: T) => void): AsyncCallback<T> {
    return { invoke: (value: T) => this.interpreter.asyncInput(this, () => handler(value)) };
  }

  /** Current time of the materializer's clock (epoch ms). */
  protected now(): number {
    return this.interpreter.clock.now();
  }

  /** Runs `onTimer(key)` once after `delayMs` (replacing a timer with the same key). */
  protected scheduleOnce(key: unknown, delayMs: number): void {
    this.startTimer(key, delayMs, null);
  }

  /** Runs `onTimer(key)` after `initialDelayMs`, then every `intervalMs` after each run. */
  protected scheduleWithFixedDelay(key: unknown, initialDelayMs: number, intervalMs: number): void {
    this.startTimer(key, initialDelayMs, intervalMs);
  }

  /** Cancels the timer with this key, if any. */
  protected cancelTimer(key: unknown): void {
    const t = this.timers.get(key);
    if (!t) return;
    this.timers.delete(key);
    t.abort.abort();
  }

  /** Whether a timer with this key is scheduled. */
  protected isTimerActive(key: unknown): boolean {
    return this.timers.has(key);
  }

  /** Called when a timer fires. */
  protected onTimer(_key: unknown): void {}

  private startTimer(key: unknown, delayMs: number, repeatMs: number | null): void {
    this.cancelTimer(key);
    const id = ++this.timerIds;
    const timer: Timer = { id, abort: new AbortController() };
    this.timers.set(key, timer);
    const clock = this.interpreter.clock;
    const target = clock.now() + delayMs;
    clock.waitUntil(target, timer.abort.signal).then(
      () => this.interpreter.asyncInput(this, () => {
        if (this.timers.get(key)?.id !== id) return; // cancelled or replaced meanwhile
        if (repeatMs === null) this.timers.delete(key);
        else this.startTimer(key, repeatMs, repeatMs);
        this.onTimer(key);
      }),
      () => {
        // Aborted: the timer was cancelled.
      },
    );
  }

  /** @internal Cancels every timer once the operator stopped. */
  stopTimers(): void {
    for (const key of [...this.timers.keys()]) this.cancelTimer(key);
  }
}

/** An operator with one inlet and one outlet (`map`, `filter`, `buffer`, ...). */
export interface FlowShapePorts<I, O> {
  readonly in: Inlet<I>;
  readonly out: Outlet<O>;
}

/** Makes the ports of a one-in, one-out operator. */
export function flowShape<I, O>(name: string): FlowShapePorts<I, O> & Shape {
  const inlet = new Inlet<I>(`${name}.in`);
  const outlet = new Outlet<O>(`${name}.out`);
  return { in: inlet, out: outlet, inlets: [inlet], outlets: [outlet] };
}

/** Makes the port of a source. */
export function sourceShape<O>(name: string): { readonly out: Outlet<O> } & Shape {
  const outlet = new Outlet<O>(`${name}.out`);
  return { out: outlet, inlets: [], outlets: [outlet] };
}

/** Makes the port of a sink. */
export function sinkShape<I>(name: string): { readonly in: Inlet<I> } & Shape {
  const inlet = new Inlet<I>(`${name}.in`);
  return { in: inlet, inlets: [inlet], outlets: [] };
}
