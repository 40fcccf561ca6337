/**
 * Runs one flow conformance scenario through the engine's flow API:
 *
 *   build   source (a probe or a fixed source) → operators (`source[op](...args)`) → sink (a probe or
 *           a materializing sink), on an ActorSystem with a manual clock
 *   steps   each step acts (request, send, resolve a promise, move the clock) or checks (the next
 *           signals, demand, cancellation, the functions' calls, the materialized result); after each
 *           step, promises and timers settle
 *
 * Functions in scenarios are JavaScript source evaluated with these helpers in scope:
 *
 *   defer(key)     a promise the script resolves (`{"resolve": key}`) or rejects later; records a call
 *   resolved(v)    a promise already resolved (it still completes asynchronously, as a Future does)
 *   failed(msg)    a promise already rejected with TE(msg)
 *   raise(msg)     throws TE(msg) synchronously
 *   called(v)      records a call and returns v
 *   TE             the test exception class (name "TE", message = msg)
 */
import { ManualClock } from '../../engine/clock.js';
import { ActorSystem } from '../../engine/flow/actor-system.js';
import { ActorAttributes, Supervision } from '../../engine/flow/attributes.js';
import { durationMs } from '../../engine/flow/duration.js';
import { Flow } from '../../engine/flow/flow.js';
import { Keep } from '../../engine/flow/keep.js';
import { OverflowStrategy } from '../../engine/flow/overflow-strategy.js';
import { Sink } from '../../engine/flow/sink.js';
import { Source } from '../../engine/flow/source.js';
import { ThrottleMode } from '../../engine/flow/throttle-mode.js';
import type { FlowScenario, ScenarioArg, ScenarioSink, ScenarioSource, ScenarioStep, ScenarioSupervision } from './flow-scenario.js';
import { TestSink, TestSource, type PublisherProbe, type ProbeSignal, type SubscriberProbe } from './probes.js';

/** The test exception of scenarios (Pekko's `TE`). */
export class TE extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TE';
  }
}

/** The outcome: ok, or the first step that failed and why. */
export type FlowScenarioResult = { ok: true } | { ok: false; step: number; message: string };

/** Lets promise callbacks, the interpreter's mailbox and fired timers run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * Moves a manual clock forward by `ms`, stopping at every timer's due time on the way (so each fires
 * at its own time, as it would in real time) and letting the stream settle after each.
 */
export async function advanceInOrder(clock: ManualClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  for (;;) {
    await settle();
    const next = clock.nextWaitTarget;
    if (next === undefined || next > end) break;
    clock.setTime(Math.max(next, clock.now()));
  }
  clock.setTime(end);
  await settle();
}

const deciders: Record<ScenarioSupervision, (e: unknown) => 'stop' | 'resume' | 'restart'> = {
  stop: Supervision.stoppingDecider,
  resume: Supervision.resumingDecider,
  restart: Supervision.restartingDecider,
};

class Harness {
  readonly clock = new ManualClock(Date.UTC(2026, 0, 1));
  readonly system = ActorSystem.create('conformance', { clock: this.clock, output: () => {} });
  readonly deferreds = new Map<string, { resolve(v: unknown): void; reject(e: unknown): void; value: unknown }>();
  calls: unknown[] = [];
  collected: unknown[] = [];
  sourceProbe: PublisherProbe<unknown> | null = null;
  sinkProbe: SubscriberProbe<unknown> | null = null;
  result: { state: 'pending' } | { state: 'ok'; value: unknown } | { state: 'failed'; error: unknown } = { state: 'pending' };

  fn(src: string): (...args: unknown[]) => unknown {
    const helpers = {
      defer: (key: unknown, value: unknown = key) => {
        const k = String(key);
        if (this.deferreds.has(k)) throw new Error(`defer(${k}) called twice`);
        this.calls.push(key);
        return new Promise((resolve, reject) => this.deferreds.set(k, { resolve, reject, value }));
      },
      resolved: (v: unknown) => Promise.resolve(v),
      failed: (msg: string) => Promise.reject(new TE(msg)),
      raise: (msg: string) => {
        throw new TE(msg);
      },
      called: (v: unknown) => {
        this.calls.push(v);
        return v;
      },
      TE,
    };
    // Scenario files are part of the test suite, not learner input.
    const make = new Function(...Object.keys(helpers), `"use strict"; return (${src});`) as (...h: unknown[]) => (...args: unknown[]) => unknown;
    return make(...Object.values(helpers));
  }

  arg(a: ScenarioArg): unknown {
    if (Array.isArray(a)) return a.map((x) => this.arg(x));
    if (a && typeof a === 'object') {
      if ('fn' in a && typeof a.fn === 'string') return this.fn(a.fn);
      if ('strategy' in a) return OverflowStrategy[a.strategy as keyof typeof OverflowStrategy];
      if ('mode' in a) return ThrottleMode[a.mode as keyof typeof ThrottleMode];
    }
    return a;
  }

  source(spec: ScenarioSource): Source<unknown, unknown> {
    switch (spec.kind) {
      case 'probe':
        return TestSource.probe<unknown>({ inputBuffer: spec.inputBuffer ?? 0 }).mapMaterializedValue((p) => {
          this.sourceProbe = p;
          return p;
        });
      case 'list':
        return Source.from(spec.elements);
      case 'range':
        return Source.range(spec.from, spec.to);
      case 'single':
        return Source.single(spec.elem);
      case 'empty':
        return Source.empty();
      case 'failed':
        return Source.failed(new TE(spec.message));
    }
  }

  sink(spec: ScenarioSink): Sink<unknown, unknown> {
    switch (spec.kind) {
      case 'probe':
        return TestSink.probe<unknown>().mapMaterializedValue((p) => {
          this.sinkProbe = p;
          return p;
        });
      case 'seq':
        return Sink.seq();
      case 'head':
        return Sink.head();
      case 'headOption':
        return Sink.headOption();
      case 'last':
        return Sink.last();
      case 'ignore':
        return Sink.ignore();
      case 'fold':
        return Sink.fold(spec.zero, this.fn(spec.fn) as (a: unknown, x: unknown) => unknown);
    }
  }

  build(s: FlowScenario): void {
    let source = this.source(s.graph.source);
    for (const o of s.graph.operators) {
      const method = (Flow.prototype as unknown as Record<string, unknown>)[o.op];
      if (typeof method !== 'function' || o.op === 'via' || o.op === 'to') throw new Error(`unknown operator "${o.op}"`);
      let flow = (Flow.create<unknown>() as unknown as Record<string, (...a: unknown[]) => Flow<unknown, unknown, unknown>>)[o.op]!(...(o.args ?? []).map((a) => this.arg(a)));
      if (o.supervision) flow = flow.withAttributes(ActorAttributes.supervisionStrategy(deciders[o.supervision]));
      source = source.via(flow);
    }
    if (s.graph.supervision) source = source.withAttributes(ActorAttributes.supervisionStrategy(deciders[s.graph.supervision]));
    const mat = source.toMat(this.sink(s.graph.sink), Keep.right).run(this.system);
    if (mat instanceof Promise) {
      mat.then((value) => (this.result = { state: 'ok', value }), (error: unknown) => (this.result = { state: 'failed', error }));
    }
  }
}

function show(x: unknown): string {
  if (x instanceof Error) return `${x.name}(${x.message})`;
  return JSON.stringify(x) ?? String(x);
}

function same(a: unknown, b: unknown): boolean {
  return show(a) === show(b);
}

function signalText(s: ProbeSignal<unknown> | undefined): string {
  if (!s) return 'nothing';
  if (s.kind === 'next') return `element ${show(s.value)}`;
  if (s.kind === 'complete') return 'completion';
  return `error ${show(s.error)}`;
}

function errorMatches(e: unknown, want: { message?: string; name?: string }): boolean {
  const err = e as { message?: unknown; name?: unknown } | null;
  return (want.message === undefined || err?.message === want.message) && (want.name === undefined || err?.name === want.name);
}

async function runStep(h: Harness, step: ScenarioStep): Promise<string | null> {
  const src = () => {
    if (!h.sourceProbe) throw new Error('this step needs a probe source');
    return h.sourceProbe;
  };
  const snk = () => {
    if (!h.sinkProbe) throw new Error('this step needs a probe sink');
    return h.sinkProbe;
  };
  if ('note' in step) return null;
  if ('request' in step) {
    snk().request(step.request);
    return null;
  }
  if ('cancel' in step) {
    snk().cancel();
    return null;
  }
  if ('sendNext' in step) {
    for (const x of step.sendNext) {
      src().sendNext(x);
      await settle();
    }
    return null;
  }
  if ('sendComplete' in step) {
    src().sendComplete();
    return null;
  }
  if ('sendError' in step) {
    src().sendError(new TE(step.sendError));
    return null;
  }
  if ('expectDemand' in step) {
    const has = src().hasDemand;
    return has === step.expectDemand ? null : `expected ${step.expectDemand ? 'demand' : 'no demand'} at the source, found ${has ? 'demand' : 'none'}`;
  }
  if ('expectCancellation' in step) {
    return src().cancelled ? null : 'expected the source to be cancelled';
  }
  if ('expectNext' in step) {
    for (const want of step.expectNext) {
      const got = snk().next();
      if (!got || got.kind !== 'next' || !same(got.value, want)) return `expected element ${show(want)}, got ${signalText(got)}`;
    }
    return null;
  }
  if ('expectNextUnordered' in step) {
    const got: unknown[] = [];
    for (let i = 0; i < step.expectNextUnordered.length; i++) {
      const s = snk().next();
      if (!s || s.kind !== 'next') return `expected ${step.expectNextUnordered.length} elements, got ${signalText(s)} after ${show(got)}`;
      got.push(s.value);
    }
    const a = got.map(show).sort();
    const b = step.expectNextUnordered.map(show).sort();
    return same(a, b) ? null : `expected elements ${show(step.expectNextUnordered)} in any order, got ${show(got)}`;
  }
  if ('expectNoMessage' in step || 'advance' in step) {
    const d = 'advance' in step ? step.advance : step.expectNoMessage;
    await advanceInOrder(h.clock, durationMs(d));
    if ('expectNoMessage' in step && h.sinkProbe && h.sinkProbe.received.length > 0) return `expected no signal, got ${signalText(h.sinkProbe.received[0])}`;
    return null;
  }
  if ('collectNext' in step) {
    for (let i = 0; i < step.collectNext; i++) {
      const s = snk().next();
      if (!s || s.kind !== 'next') return `expected element ${i + 1} of ${step.collectNext}, got ${signalText(s)}`;
      h.collected.push(s.value);
    }
    return null;
  }
  if ('expectCollected' in step) {
    const a = h.collected.map(show).sort();
    const b = step.expectCollected.map(show).sort();
    const got = h.collected;
    h.collected = [];
    return same(a, b) ? null : `expected the collected elements ${show(step.expectCollected)} in any order, got ${show(got)}`;
  }
  if ('expectComplete' in step) {
    const got = snk().next();
    return got?.kind === 'complete' ? null : `expected completion, got ${signalText(got)}`;
  }
  if ('expectError' in step) {
    const got = snk().next();
    return got?.kind === 'error' && errorMatches(got.error, step.expectError) ? null : `expected error ${show(step.expectError)}, got ${signalText(got)}`;
  }
  if ('resolve' in step || 'reject' in step) {
    const key = String('resolve' in step ? step.resolve : step.reject);
    const d = h.deferreds.get(key);
    if (!d) return `no deferred call with key ${key} (calls so far: ${show(h.calls)})`;
    if ('resolve' in step) d.resolve('value' in step ? step.value : d.value);
    else d.reject(new TE(step.message));
    return null;
  }
  if ('expectStarted' in step) {
    const got = h.calls;
    h.calls = [];
    const a = got.map(show).sort();
    const b = step.expectStarted.map(show).sort();
    return same(a, b) ? null : `expected calls ${show(step.expectStarted)}, got ${show(got)}`;
  }
  if ('expectResult' in step) {
    const r = h.result;
    if (r.state !== 'ok') return `expected the result ${show(step.expectResult)}, the stream ${r.state === 'pending' ? 'has not finished' : `failed with ${show(r.error)}`}`;
    return same(r.value, step.expectResult) ? null : `expected the result ${show(step.expectResult)}, got ${show(r.value)}`;
  }
  if ('expectResultUnordered' in step) {
    const r = h.result;
    if (r.state !== 'ok' || !Array.isArray(r.value)) return `expected a list result, the stream ${r.state === 'pending' ? 'has not finished' : r.state === 'failed' ? `failed with ${show(r.error)}` : `gave ${show(r.value)}`}`;
    return same(r.value.map(show).sort(), step.expectResultUnordered.map(show).sort()) ? null : `expected the elements ${show(step.expectResultUnordered)} in any order, got ${show(r.value)}`;
  }
  if ('expectResultError' in step) {
    const r = h.result;
    if (r.state !== 'failed') return `expected the stream to fail with ${show(step.expectResultError)}, it ${r.state === 'pending' ? 'has not finished' : `gave ${show(r.value)}`}`;
    return errorMatches(r.error, step.expectResultError) ? null : `expected the failure ${show(step.expectResultError)}, got ${show(r.error)}`;
  }
  if ('expectResultPending' in step) {
    return h.result.state === 'pending' ? null : `expected the stream to be still running, its result is ${h.result.state}`;
  }
  return `unknown step ${show(step)}`;
}

/** Runs a scenario; the result names the first failing step. */
export async function runFlowScenario(scenario: FlowScenario): Promise<FlowScenarioResult> {
  const h = new Harness();
  try {
    h.build(scenario);
    await settle();
    for (let i = 0; i < scenario.steps.length; i++) {
      let message: string | null;
      try {
        message = await runStep(h, scenario.steps[i]!);
      } catch (e) {
        message = `threw ${show(e)}`;
      }
      if (message !== null) return { ok: false, step: i, message: `step ${i} ${show(scenario.steps[i])}: ${message}` };
      await settle();
    }
    return { ok: true };
  } finally {
    await h.system.terminate();
  }
}
