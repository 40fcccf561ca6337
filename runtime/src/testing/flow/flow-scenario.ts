/**
 * The flow conformance scenario format (described for authors in `test/conformance/flow/FORMAT.md`):
 * one JSON object per scenario, derived from a test of Apache Pekko's stream test suites, naming the
 * stream to build and a script of steps on a manual clock.
 */

/** A value in a scenario: JSON, or a function written as JavaScript source (`{"fn": "n => n * 2"}`). */
export type ScenarioArg =
  | number
  | string
  | boolean
  | null
  | ScenarioArg[]
  | { fn: string }
  | { strategy: 'backpressure' | 'dropHead' | 'dropTail' | 'dropBuffer' | 'dropNew' | 'fail' }
  | { mode: 'Shaping' | 'Enforcing' }
  | { [key: string]: unknown };

/** Supervision attribute values. */
export type ScenarioSupervision = 'stop' | 'resume' | 'restart';

/** Where elements come from. */
export type ScenarioSource =
  | { kind: 'probe'; inputBuffer?: number }
  | { kind: 'list'; elements: unknown[] }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'single'; elem: unknown }
  | { kind: 'empty' }
  | { kind: 'failed'; message: string };

/** One operator: `source[op](...args)`, with optional attributes on that operator alone. */
export interface ScenarioOperator {
  op: string;
  args?: ScenarioArg[];
  supervision?: ScenarioSupervision;
}

/** Where elements go. */
export type ScenarioSink =
  | { kind: 'probe' }
  | { kind: 'seq' }
  | { kind: 'head' }
  | { kind: 'headOption' }
  | { kind: 'last' }
  | { kind: 'ignore' }
  | { kind: 'fold'; zero: unknown; fn: string };

/** One step of the script. */
export type ScenarioStep =
  | { note: string }
  | { request: number }
  | { cancel: true }
  | { sendNext: unknown[] }
  | { sendComplete: true }
  | { sendError: string }
  | { expectDemand: boolean }
  | { expectCancellation: true }
  | { expectNext: unknown[] }
  | { expectNextUnordered: unknown[] }
  | { expectNoMessage: string | number }
  | { advance: string | number }
  | { collectNext: number }
  | { expectCollected: unknown[] }
  | { expectComplete: true }
  | { expectError: { message?: string; name?: string } }
  | { resolve: string | number; value?: unknown }
  | { reject: string | number; message: string }
  | { expectStarted: unknown[] }
  | { expectResult: unknown }
  | { expectResultUnordered: unknown[] }
  | { expectResultError: { message?: string; name?: string } }
  | { expectResultPending: true };

/** A scenario file. */
export interface FlowScenario {
  id: string;
  /** `<Pekko spec file> :: <test name>`. */
  from: string;
  topics: string[];
  notes?: string;
  graph: {
    source: ScenarioSource;
    operators: ScenarioOperator[];
    /** `withAttributes(supervisionStrategy(...))` on the source and its operators together. */
    supervision?: ScenarioSupervision;
    sink: ScenarioSink;
  };
  steps: ScenarioStep[];
}
