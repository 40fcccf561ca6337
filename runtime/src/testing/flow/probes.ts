/**
 * Test probes for flows, after Pekko's stream testkit: `TestSource.probe()` is a source the test feeds
 * (`sendNext`, `sendComplete`, `sendError`) and whose demand it observes; `TestSink.probe()` is a sink
 * the test requests from (`request`, `cancel`) and whose signals it checks (`expectNext`,
 * `expectComplete`, `expectError`).
 *
 * Both are fused into the stream (no asynchronous boundary): the source's demand is exactly the pulls of
 * the operator after it, one element per pull (Pekko with `initial-input-buffer-size = 1`). A probe
 * action runs at once when the stream is idle; the caller lets promises and timers settle between
 * steps.
 */
import { Source } from '../../engine/flow/source.js';
import { Sink } from '../../engine/flow/sink.js';
import { matStage } from '../../engine/flow/stages/blueprint.js';
import { GraphStageLogic, sinkShape, sourceShape } from '../../engine/flow/stage-logic.js';

/** A signal a sink probe received. */
export type ProbeSignal<T> = { kind: 'next'; value: T } | { kind: 'complete' } | { kind: 'error'; error: unknown };

/** The controls of a source probe. */
export class PublisherProbe<T> {
  /** @internal */
  logic: (GraphStageLogic & { send(x: T): void; finish(): void; error(e: unknown): void; pulled(): boolean }) | null = null;
  /** Elements sent ahead of demand, held as Pekko's input boundary holds them. */
  readonly buffered: T[] = [];
  /** Completion sent while elements were still buffered. */
  completing = false;
  /** Total pulls received. */
  totalRequests = 0;
  cancelled = false;
  cancelCause: unknown;

  constructor(readonly inputBuffer: number) {}

  private live() {
    if (!this.logic) throw new Error('the probe is not materialized');
    return this.logic;
  }

  /** Whether the stream would take an element now (a pull, or room in the input buffer). */
  get hasDemand(): boolean {
    return !this.cancelled && !this.completing && ((this.logic?.pulled() ?? false) || this.buffered.length < this.inputBuffer);
  }

  /** Pushes one element; there must be demand. */
  sendNext(x: T): this {
    if (this.cancelled) throw new Error(`sendNext(${String(x)}): the stream cancelled the probe`);
    if (!this.hasDemand) throw new Error(`sendNext(${String(x)}) without demand: downstream has not pulled${this.inputBuffer > 0 ? ' and the input buffer is full' : ''}`);
    this.live().send(x);
    return this;
  }

  /** Completes the source (after the elements it holds). */
  sendComplete(): this {
    this.live().finish();
    return this;
  }

  /** Fails the source. */
  sendError(error: unknown): this {
    this.live().error(error);
    return this;
  }
}

/** Pekko's `TestSource`. */
export const TestSource = Object.freeze({
  /**
   * A source fed by the test; materializes its PublisherProbe. With `inputBuffer` n > 0 it also holds up
   * to n elements sent ahead of demand (Pekko's `initial-input-buffer-size` at the probe's boundary).
   */
  probe<T>(options: { inputBuffer?: number } = {}): Source<T, PublisherProbe<T>> {
    return Source.fromStage(matStage('testSourceProbe', 'source', (attrs) => {
      const probe = new PublisherProbe<T>(options.inputBuffer ?? 0);
      const ports = sourceShape<T>('TestSource');
      const logic = new (class extends GraphStageLogic {
        constructor() {
          super(ports, attrs);
          this.setHandler(ports.out, {
            onPull: () => {
              probe.totalRequests++;
              if (probe.buffered.length > 0) {
                this.push(ports.out, probe.buffered.shift()!);
                if (probe.completing && probe.buffered.length === 0) this.completeStage();
              }
            },
            onDownstreamFinish: (cause) => {
              probe.cancelled = true;
              probe.cancelCause = cause;
              this.completeStage();
            },
          });
        }
        pulled(): boolean {
          return this.isAvailable(ports.out);
        }
        send(x: T): void {
          this.interpreter.runNow(this, () => {
            if (this.isAvailable(ports.out)) this.push(ports.out, x);
            else probe.buffered.push(x);
          });
        }
        finish(): void {
          this.interpreter.runNow(this, () => {
            if (probe.buffered.length === 0) this.completeStage();
            else probe.completing = true;
          });
        }
        error(e: unknown): void {
          this.interpreter.runNow(this, () => this.failStage(e));
        }
      })();
      probe.logic = logic;
      return { logic, mat: probe };
    }));
  },
});

/** The controls of a sink probe. */
export class SubscriberProbe<T> {
  /** @internal */
  logic: (GraphStageLogic & { demand(n: number): void; stop(): void }) | null = null;
  /** Signals received and not yet checked. */
  readonly received: ProbeSignal<T>[] = [];
  /** Elements requested and not yet delivered. */
  outstanding = 0;

  private live() {
    if (!this.logic) throw new Error('the probe is not materialized');
    return this.logic;
  }

  /** Requests `n` more elements. */
  request(n: number): this {
    if (!(n > 0)) throw new RangeError('request: n must be positive');
    this.live().demand(n);
    return this;
  }

  /** Cancels the stream from downstream. */
  cancel(): this {
    this.live().stop();
    return this;
  }

  /** Takes the next signal, if any. */
  next(): ProbeSignal<T> | undefined {
    return this.received.shift();
  }
}

/** Pekko's `TestSink`. */
export const TestSink = Object.freeze({
  /** A sink driven by the test; materializes its SubscriberProbe. */
  probe<T>(): Sink<T, SubscriberProbe<T>> {
    return Sink.fromStage(matStage('testSinkProbe', 'sink', (attrs) => {
      const probe = new SubscriberProbe<T>();
      const ports = sinkShape<T>('TestSink');
      const logic = new (class extends GraphStageLogic {
        constructor() {
          super(ports, attrs);
          this.setHandler(ports.in, {
            onPush: () => {
              probe.outstanding--;
              probe.received.push({ kind: 'next', value: this.grab(ports.in) });
              this.pullIfWanted();
            },
            onUpstreamFinish: () => {
              probe.received.push({ kind: 'complete' });
              this.completeStage();
            },
            onUpstreamFailure: (error) => {
              probe.received.push({ kind: 'error', error });
              this.failStage(error);
            },
          });
        }
        private pullIfWanted(): void {
          if (probe.outstanding > 0 && !this.isClosed(ports.in) && !this.hasBeenPulled(ports.in)) this.pull(ports.in);
        }
        demand(n: number): void {
          this.interpreter.runNow(this, () => {
            probe.outstanding += n;
            this.pullIfWanted();
          });
        }
        stop(): void {
          this.interpreter.runNow(this, () => this.cancel(ports.in));
        }
      })();
      probe.logic = logic;
      return { logic, mat: probe };
    }));
  },
});
