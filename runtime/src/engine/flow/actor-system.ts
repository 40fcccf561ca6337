/**
 * `ActorSystem` and `Materializer`: where streams run. A stream's timers (`groupedWithin`, `throttle`,
 * `Source.tick`) run on the system's clock, never on the wall clock: a manual clock moves them step by
 * step, the runtime's system clock in real time.
 *
 *   const system = ActorSystem.create("locations");
 *   Source.from([1, 2, 3]).map((n) => n * 2).runWith(Sink.seq(), system);
 *
 * The materializer argument of `run`/`runWith` may be left out: the most recently created system that
 * is not terminated is used (Scala's implicit system in scope).
 */
import { ManualClock, type Clock } from '../clock.js';
import { materialize, type MaterializationContext, type Module } from './graph.js';
import type { GraphInterpreter } from './interpreter.js';

/** What the host (a job process, a lesson check) gives every ActorSystem it did not configure itself. */
export interface FlowHost {
  clock: Clock;
  output?: (line: string) => void;
}

let host: FlowHost | null = null;
let current: ActorSystem | null = null;

/** Installs the host's clock and output for systems created from now on (`null` resets). */
export function setFlowHost(value: FlowHost | null): void {
  host = value;
  current = null;
}

/** Options of `ActorSystem.create`; Streamlab's addition: the clock. */
export interface ActorSystemOptions {
  clock?: Clock;
  output?: (line: string) => void;
}

/** Observes streams starting and ending (the runtime counts running streams with it). */
export interface StreamListener {
  onStreamStarted?(system: ActorSystem): void;
  onStreamFinished?(system: ActorSystem): void;
  /** A stream ended because an operator failed (a failure the code may never look at). */
  onStreamFailed?(system: ActorSystem, error: unknown): void;
  /** An element made from a Kafka record reached the end of a stream `latencyMs` after it was produced. */
  onRecordLatency?(system: ActorSystem, latencyMs: number): void;
}

const listeners = new Set<StreamListener>();

/** Adds a listener to every system's streams; returns the function that removes it. */
export function addStreamListener(listener: StreamListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Pekko's `ActorSystem`, as far as streams need one. */
export class ActorSystem {
  readonly clock: Clock;
  private readonly output: (line: string) => void;
  private readonly running = new Set<GraphInterpreter>();
  private terminated = false;
  private resolveTerminated!: () => void;
  /** Resolves once `terminate()` has stopped every stream. */
  readonly whenTerminated: Promise<void>;

  private constructor(readonly name: string, options: ActorSystemOptions) {
    this.clock = options.clock ?? host?.clock ?? new ManualClock(0);
    this.output = options.output ?? host?.output ?? ((line) => console.log(line));
    this.whenTerminated = new Promise((r) => (this.resolveTerminated = r));
  }

  /** Creates a system (Pekko's `ActorSystem(name)` / `ActorSystem.create(name)`). */
  static create(name = 'default', options: ActorSystemOptions = {}): ActorSystem {
    if (typeof name !== 'string' || !/^[a-zA-Z0-9][-\w]*$/.test(name)) {
      throw new Error(`invalid ActorSystem name [${String(name)}], must contain only word characters (i.e. [a-zA-Z0-9] plus non-leading '-' or '_')`);
    }
    const system = new ActorSystem(name, options);
    current = system;
    return system;
  }

  /** The system `run()` uses when none is passed: the latest one created and not terminated. */
  static get default(): ActorSystem | null {
    return current && !current.terminated ? current : null;
  }

  /** Whether `terminate()` was called. */
  get isTerminated(): boolean {
    return this.terminated;
  }

  /** Streams of this system still running. */
  get runningStreams(): number {
    return this.running.size;
  }

  /** Stops every running stream (their results fail with AbruptTerminationException) and the system. */
  terminate(): Promise<void> {
    if (!this.terminated) {
      this.terminated = true;
      if (current === this) current = null;
      for (const interpreter of [...this.running]) interpreter.abort();
      this.resolveTerminated();
    }
    return this.whenTerminated;
  }

  /** @internal Materializes and starts a runnable blueprint. */
  materialize<M>(module: Module): M {
    if (this.terminated) throw new Error(`ActorSystem [${this.name}] is terminated: streams cannot be materialized on it`);
    const context: MaterializationContext = {
      clock: this.clock,
      output: this.output,
      recordArrival: (timestampMs) => {
        if (listeners.size === 0) return;
        const latency = this.clock.now() - timestampMs;
        for (const l of listeners) l.onRecordLatency?.(this, latency);
      },
    };
    let interpreter: GraphInterpreter | null = null;
    let finishedEarly = false;
    const done = (failure: { error: unknown } | undefined) => {
      if (failure) for (const l of listeners) l.onStreamFailed?.(this, failure.error);
      if (!interpreter) {
        finishedEarly = true;
        return;
      }
      if (this.running.delete(interpreter)) for (const l of listeners) l.onStreamFinished?.(this);
    };
    const result = materialize<M>(module, context, { onFinished: done });
    interpreter = result.interpreter;
    if (!finishedEarly) {
      this.running.add(interpreter);
      for (const l of listeners) l.onStreamStarted?.(this);
    }
    return result.value;
  }
}

/** Pekko's `Materializer`; `Materializer.create(system)` / `Materializer(system)`. */
export class Materializer {
  constructor(readonly system: ActorSystem) {}
  static create(system: ActorSystem): Materializer {
    return new Materializer(system);
  }
  static createMaterializer(system: ActorSystem): Materializer {
    return new Materializer(system);
  }
  /** Ends every stream this materializer started (they fail with AbruptTerminationException). */
  shutdown(): void {
    void this.system.terminate();
  }
}

/** What `run`/`runWith` accept: a system, a materializer, or nothing (the default system). */
export type MaterializerLike = ActorSystem | Materializer | undefined;

/** The system a stream runs on. */
export function systemOf(m: MaterializerLike): ActorSystem {
  if (m instanceof ActorSystem) return m;
  if (m instanceof Materializer) return m.system;
  if (m !== undefined) throw new TypeError('expected an ActorSystem or a Materializer to run the stream on');
  const system = ActorSystem.default;
  if (!system) throw new Error('No ActorSystem to run the stream on: create one first with ActorSystem.create("name") and pass it to run/runWith');
  return system;
}
