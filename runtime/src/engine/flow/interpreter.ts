/**
 * The graph interpreter: runs a fused chain of operators (one logic per operator, one connection per
 * link) by processing port events one at a time, in the order they were raised, as Pekko's
 * GraphInterpreter does.
 *
 * A connection carries one port-state word and one slot. The state machine, per connection:
 *
 *   InReady --pull--> Pulling --(event: onPull upstream)--> OutReady --push--> Pushing
 *     ^                                                                          |
 *     +---------------------(event: onPush downstream, slot = element)-----------+
 *
 *   complete(out)  sets OutClosed; downstream gets onUpstreamFinish (after a pending push, if any)
 *   fail(out, e)   sets OutClosed|InFailed, slot = failure; downstream gets onUpstreamFailure (after a pending push)
 *   cancel(in)     sets InClosed, slot = cause; upstream gets onDownstreamFinish (a pending push or pull is dropped)
 *
 * The event queue holds connections whose state has an event in flight; each connection is queued at
 * most once, except that a close behind a pending push is re-queued after the push is delivered.
 *
 *   execute():    while the queue is not empty: take a connection, decode its event, call the handler;
 *                 a handler that throws fails its operator; operators whose ports are all closed stop
 *                 (postStop, timers cancelled)
 *   asyncInput:   promises and timers re-enter through a mailbox drained in a microtask, one callback
 *                 at a time, each followed by execute() — never in the middle of another event
 */
import type { Clock } from '../clock.js';
import { AbruptStageTerminationException } from './errors.js';
import { kafkaTimestampOf } from './provenance.js';
import type { GraphStageLogic, Inlet, Outlet } from './stage-logic.js';

const IN_READY = 1;
const PULLING = 2;
const PUSHING = 4;
const OUT_READY = 8;
const IN_CLOSED = 16;
const OUT_CLOSED = 32;
const IN_FAILED = 64;

const PULL_START = IN_READY | PULLING;
const PULL_END = PULLING | OUT_READY;
const PUSH_START = OUT_READY | PUSHING;
const PUSH_END = PUSHING | IN_READY;

const KEEP_GOING = 1 << 20;
const KEEP_GOING_MASK = KEEP_GOING - 1;

const EMPTY: unique symbol = Symbol('empty');

class Failed {
  constructor(readonly error: unknown, public previous: unknown) {}
}

class Cancelled {
  constructor(readonly cause: unknown) {}
}

/** One link between an outlet and an inlet. */
export class Connection {
  state = IN_READY;
  slot: unknown = EMPTY;
  constructor(
    readonly id: number,
    readonly outOwner: GraphStageLogic,
    readonly outlet: Outlet,
    readonly inOwner: GraphStageLogic,
    readonly inlet: Inlet,
  ) {}
}

/** What the interpreter reports when it ends. */
export interface InterpreterListener {
  /** Every operator stopped; `failure` is the first error an operator failed with, if any. */
  onFinished(failure: { error: unknown } | undefined): void;
}

/** Runs one materialized stream. */
export class GraphInterpreter {
  private readonly queue: Connection[] = [];
  private queueHead = 0;
  private readonly shutdown: number[];
  private readonly finalized: boolean[];
  private running: number;
  private pendingFinalizations = 0;
  private activeStage: GraphStageLogic | null = null;
  private readonly mailbox: Array<{ logic: GraphStageLogic; run: () => void }> = [];
  private drainScheduled = false;
  private executing = false;
  private aborted = false;
  private failure: { error: unknown } | undefined;

  constructor(
    readonly logics: readonly GraphStageLogic[],
    readonly connections: readonly Connection[],
    readonly clock: Clock,
    private listener?: InterpreterListener,
    private readonly arrival?: (timestampMs: number) => void,
  ) {
    logics.forEach((l, i) => {
      l.stageId = i;
      l.interpreter = this;
    });
    for (const c of connections) {
      c.outOwner.connections.set(c.outlet, c);
      c.inOwner.connections.set(c.inlet, c);
    }
    this.shutdown = logics.map((l) => l.shape.inlets.length + l.shape.outlets.length);
    this.finalized = logics.map(() => false);
    this.running = logics.length;
  }

  /** Whether every operator has stopped. */
  get isCompleted(): boolean {
    return this.running === 0;
  }

  /** Calls every preStart, then runs the events they raised. */
  init(): void {
    this.executing = true;
    try {
      for (const logic of this.logics) {
        this.activeStage = logic;
        try {
          logic.preStart();
        } catch (e) {
          logic.failStage(e);
        }
        this.afterStageHasRun(logic);
      }
    } finally {
      this.executing = false;
    }
    this.execute();
  }

  /** Processes queued events until there are none. */
  execute(): void {
    if (this.executing) return;
    this.executing = true;
    try {
      while (this.queueHead < this.queue.length) {
        const c = this.queue[this.queueHead]!;
        this.queueHead++;
        if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
          this.queue.splice(0, this.queueHead);
          this.queueHead = 0;
        }
        try {
          this.processEvent(c);
        } catch (e) {
          const stage = this.activeStage;
          if (stage && !this.isStageCompleted(stage)) stage.failStage(e);
        }
        this.afterStageHasRun(this.activeStage);
      }
    } finally {
      this.executing = false;
    }
    this.checkFinished();
  }

  /**
   * @internal Runs `run` as an event of `logic` right now when the interpreter is idle (a test probe
   * driven from outside), else from the mailbox.
   */
  runNow(logic: GraphStageLogic, run: () => void): void {
    if (this.executing || this.drainScheduled) {
      this.asyncInput(logic, run);
      return;
    }
    if (this.aborted || this.finalized[logic.stageId] || this.isStageCompleted(logic)) return;
    this.executing = true;
    this.activeStage = logic;
    try {
      run();
    } catch (e) {
      if (!this.isStageCompleted(logic)) logic.failStage(e);
    } finally {
      this.executing = false;
    }
    this.afterStageHasRun(logic);
    this.execute();
  }

  /** @internal Runs `run` as an event of `logic`, from the mailbox. */
  asyncInput(logic: GraphStageLogic, run: () => void): void {
    if (this.aborted) return;
    this.mailbox.push({ logic, run });
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      queueMicrotask(() => this.drainMailbox());
    }
  }

  private drainMailbox(): void {
    this.drainScheduled = false;
    while (this.mailbox.length > 0) {
      const { logic, run } = this.mailbox.shift()!;
      if (this.aborted || this.finalized[logic.stageId] || this.isStageCompleted(logic)) continue;
      this.executing = true;
      this.activeStage = logic;
      try {
        run();
      } catch (e) {
        if (!this.isStageCompleted(logic)) logic.failStage(e);
      } finally {
        this.executing = false;
      }
      this.afterStageHasRun(logic);
      this.execute();
    }
  }

  /** Stops every operator that is still running (the ActorSystem is terminating). */
  abort(): void {
    if (this.running === 0) return;
    this.aborted = true;
    this.mailbox.length = 0;
    for (const logic of this.logics) {
      if (this.finalized[logic.stageId]) continue;
      this.finalized[logic.stageId] = true;
      this.running--;
      this.finalizeStage(logic, new AbruptStageTerminationException(logic.stageName));
    }
    this.checkFinished();
  }

  /** @internal Remembers the first error an operator failed with. */
  noteFailure(error: unknown): void {
    this.failure ??= { error };
  }

  // ---- event decoding --------------------------------------------------------------------------

  private enqueue(c: Connection): void {
    this.queue.push(c);
  }

  private processEvent(c: Connection): void {
    this.activeStage = null;
    const code = c.state;
    if ((code & (PUSHING | IN_CLOSED | OUT_CLOSED)) === PUSHING) {
      this.processPush(c);
    } else if ((code & (PULLING | OUT_CLOSED | IN_CLOSED)) === PULLING) {
      this.activeStage = c.outOwner;
      c.state ^= PULL_END;
      c.outOwner.dispatchPull(c.outlet);
    } else if ((code & (OUT_CLOSED | IN_CLOSED)) === IN_CLOSED) {
      // Cancellation travels upstream.
      this.activeStage = c.outOwner;
      c.state |= OUT_CLOSED;
      this.completeConnection(c.outOwner);
      const cause = c.slot instanceof Cancelled ? c.slot.cause : undefined;
      c.slot = EMPTY;
      c.outOwner.dispatchDownstreamFinish(c.outlet, cause);
    } else if ((code & (OUT_CLOSED | IN_CLOSED)) === OUT_CLOSED) {
      if ((code & PUSHING) === 0) {
        c.state |= IN_CLOSED;
        this.activeStage = c.inOwner;
        this.completeConnection(c.inOwner);
        if ((c.state & IN_FAILED) === 0) c.inOwner.dispatchUpstreamFinish(c.inlet);
        else c.inOwner.dispatchUpstreamFailure(c.inlet, (c.slot as Failed).error);
      } else {
        // The element first, then the close it was followed by.
        this.processPush(c);
        this.enqueue(c);
      }
    }
  }

  private processPush(c: Connection): void {
    this.activeStage = c.inOwner;
    c.state ^= PUSH_END;
    if (this.arrival && c.inOwner.shape.outlets.length === 0) this.noteArrival(c.slot instanceof Failed ? c.slot.previous : c.slot);
    c.inOwner.dispatchPush(c.inlet);
  }

  /** @internal An element reached the end of the stream (a sink, or a Committer): record its latency if it came from Kafka. */
  noteArrival(element: unknown): void {
    if (!this.arrival) return;
    const t = kafkaTimestampOf(element);
    if (t !== undefined) this.arrival(t);
  }

  // ---- actions raised by operators -------------------------------------------------------------

  /** @internal */
  pull(c: Connection): void {
    const s = c.state;
    if ((s & (IN_READY | IN_CLOSED | OUT_CLOSED)) === IN_READY) {
      c.state = s ^ PULL_START;
      if (c.slot !== EMPTY && !(c.slot instanceof Failed)) c.slot = EMPTY; // an element not grabbed is dropped
      this.enqueue(c);
      return;
    }
    if ((s & IN_CLOSED) !== 0) throw new Error(`Cannot pull closed port (${c.inlet.name})`);
    if ((s & (IN_READY | IN_CLOSED)) === 0) throw new Error(`Cannot pull port (${c.inlet.name}) twice`);
    // Upstream already closed: the pull is recorded but goes nowhere.
    c.state = s ^ PULL_START;
  }

  /** @internal */
  push(c: Connection, elem: unknown): void {
    const s = c.state;
    if (elem === null || elem === undefined) throw new TypeError(`Element must not be null or undefined (pushed on ${c.outlet.name}); a stream never carries null`);
    if ((s & (OUT_READY | OUT_CLOSED | IN_CLOSED)) === OUT_READY) {
      c.state = s ^ PUSH_START;
      c.slot = elem;
      this.enqueue(c);
      return;
    }
    if ((s & OUT_CLOSED) !== 0) throw new Error(`Cannot push closed port (${c.outlet.name})`);
    if ((s & (OUT_READY | OUT_CLOSED)) !== OUT_READY) throw new Error(`Cannot push port (${c.outlet.name}) twice, or before it being pulled`);
    // Downstream cancelled: the element is dropped.
    c.state = s ^ PUSH_START;
  }

  /** @internal */
  grab(c: Connection): unknown {
    const s = c.state;
    if ((s & (IN_READY | IN_FAILED | IN_CLOSED)) === IN_READY && c.slot !== EMPTY) {
      const elem = c.slot;
      c.slot = EMPTY;
      return elem;
    }
    if (!this.inAvailable(c)) throw new Error(`Cannot get element from already empty input port (${c.inlet.name})`);
    if (c.slot instanceof Failed) {
      const elem = c.slot.previous;
      c.slot.previous = EMPTY;
      return elem;
    }
    const elem = c.slot;
    c.slot = EMPTY;
    return elem;
  }

  /** @internal */
  inAvailable(c: Connection): boolean {
    const s = c.state;
    if ((s & (IN_READY | IN_FAILED | IN_CLOSED)) === IN_READY) return c.slot !== EMPTY;
    if ((s & (IN_READY | IN_CLOSED | IN_FAILED)) === (IN_READY | IN_CLOSED)) return c.slot !== EMPTY && !(c.slot instanceof Cancelled);
    if ((s & (IN_READY | IN_FAILED)) === (IN_READY | IN_FAILED)) return c.slot instanceof Failed && c.slot.previous !== EMPTY;
    return false;
  }

  /** @internal */
  outAvailable(c: Connection): boolean {
    return (c.state & (OUT_READY | OUT_CLOSED)) === OUT_READY;
  }

  /** @internal */
  hasBeenPulled(c: Connection): boolean {
    return (c.state & (IN_READY | IN_CLOSED)) === 0;
  }

  /** @internal */
  inClosed(c: Connection): boolean {
    return (c.state & IN_CLOSED) !== 0;
  }

  /** @internal */
  outClosed(c: Connection): boolean {
    return (c.state & OUT_CLOSED) !== 0;
  }

  /** @internal */
  complete(c: Connection): void {
    const s = c.state;
    c.state = s | OUT_CLOSED;
    if ((s & (IN_CLOSED | PUSHING | PULLING | OUT_CLOSED)) === 0) this.enqueue(c);
    if ((s & OUT_CLOSED) === 0) this.completeConnection(c.outOwner);
  }

  /** @internal */
  fail(c: Connection, error: unknown): void {
    const s = c.state;
    c.state = s | OUT_CLOSED;
    if ((s & (IN_CLOSED | OUT_CLOSED)) === 0) {
      c.state = s | OUT_CLOSED | IN_FAILED;
      c.slot = new Failed(error, c.slot);
      if ((s & (PULLING | PUSHING)) === 0) this.enqueue(c);
    }
    if ((s & OUT_CLOSED) === 0) this.completeConnection(c.outOwner);
  }

  /** @internal */
  cancel(c: Connection, cause: unknown): void {
    const s = c.state;
    c.state = s | IN_CLOSED;
    if ((s & OUT_CLOSED) === 0) {
      c.slot = new Cancelled(cause);
      if ((s & (PULLING | PUSHING | IN_CLOSED)) === 0) this.enqueue(c);
    }
    if ((s & IN_CLOSED) === 0) this.completeConnection(c.inOwner);
  }

  /** @internal */
  setKeepGoing(logic: GraphStageLogic, enabled: boolean): void {
    const i = logic.stageId;
    if (enabled) {
      this.shutdown[i] = this.shutdown[i]! | KEEP_GOING;
    } else if ((this.shutdown[i]! & KEEP_GOING) !== 0) {
      this.shutdown[i] = this.shutdown[i]! & KEEP_GOING_MASK;
      if (this.shutdown[i] === 0) this.pendingFinalizations++;
    }
  }

  // ---- stopping operators ----------------------------------------------------------------------

  private completeConnection(logic: GraphStageLogic): void {
    const i = logic.stageId;
    const active = this.shutdown[i]!;
    if ((active & KEEP_GOING_MASK) > 0) {
      this.shutdown[i] = active - 1;
      if (active - 1 === 0) this.pendingFinalizations++;
    }
  }

  /** @internal */
  isStageCompleted(logic: GraphStageLogic): boolean {
    return this.shutdown[logic.stageId] === 0;
  }

  private afterStageHasRun(logic: GraphStageLogic | null): void {
    if (logic && !this.finalized[logic.stageId] && this.isStageCompleted(logic)) this.stopStage(logic);
    // Closing one operator's ports can leave another with none open (postStop may close more).
    while (this.pendingFinalizations > 0) {
      this.pendingFinalizations = 0;
      for (const l of this.logics) {
        if (!this.finalized[l.stageId] && this.isStageCompleted(l)) this.stopStage(l);
      }
    }
  }

  private stopStage(logic: GraphStageLogic): void {
    this.finalized[logic.stageId] = true;
    this.running--;
    if (this.pendingFinalizations > 0) this.pendingFinalizations--;
    this.finalizeStage(logic, undefined);
  }

  private finalizeStage(logic: GraphStageLogic, abruptly: Error | undefined): void {
    logic.stopTimers();
    try {
      if (abruptly) logic.onAbruptStop(abruptly);
      logic.postStop();
    } catch {
      // Pekko logs errors from postStop and carries on; the stream's outcome is already decided.
    }
  }

  private checkFinished(): void {
    if (this.running === 0 && this.listener) {
      const l = this.listener;
      this.listener = undefined;
      l.onFinished(this.failure);
    }
  }
}
