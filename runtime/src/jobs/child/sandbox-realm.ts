/**
 * The `vm` context learner code runs in, in every job process (Run, and the check mode that Check,
 * `streamlab grade` and the PySpark export use): the JavaScript built-ins, a console, timers,
 * `require("streamlab")`, `TextEncoder`/`TextDecoder` of the realm's own (realm-text-codec.ts) and a
 * `process` stand-in whose `stdout.write` prints and whose `env`, `exit` and everything else throw
 * explanatory errors. Nothing else of the job process is reachable by name.
 *
 *   createSandboxRealm(hooks) → realm.evaluate(compiled CommonJS code) → the module's exports
 */
import vm from 'node:vm';
import { LOOP_GUARD_NAME } from '../loop-guard.js';
import { AWAIT_TRACKER_NAME, type AwaitTracker } from '../await-tracker.js';
import { REALM_TEXT_CODEC_SOURCE } from './realm-text-codec.js';
import { REALM_TIMERS_SOURCE, type RealmTimerHost } from './realm-timers.js';
import { SandboxError } from '../sandbox-error.js';

/** File name the compiled script runs under; stack frames with it are the learner's. */
export const PIPELINE_FILENAME = 'pipeline.js';

/** Console levels a pipeline may print at. */
export type PrintLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export { SandboxError } from '../sandbox-error.js';

/** What the realm needs from its job process. */
export interface RealmHooks {
  /** `console.<level>(...args)`. */
  print(level: PrintLevel, args: unknown[]): void;
  /** `process.stdout.write(text)` (and `process.stderr.write`, at level `error`). */
  write(text: string, level: 'log' | 'error'): void;
  /** What `require("streamlab")` returns. */
  api(): unknown;
  /** The endless-loop guard the compiled code calls. */
  loopGuard: () => void;
  /** The await tracker the compiled code calls (`await-tracker.ts`); by default awaits are not recorded. */
  awaits?: AwaitTracker['track'];
}

/** One learner realm. */
export interface SandboxRealm {
  /** Evaluates compiled CommonJS code and returns its exports. */
  evaluate(code: string): Record<string, unknown>;
  /** Timers the learner's code has pending. */
  readonly timers: ReadonlySet<NodeJS.Timeout>;
}

function processStandIn(hooks: RealmHooks): unknown {
  const denied = (what: string) => new SandboxError('sandbox-violation', `process.${what} is not available in a pipeline.`);
  const stream = (level: 'log' | 'error') => Object.freeze({
    write: (chunk: unknown) => {
      hooks.write(typeof chunk === 'string' ? chunk : String(chunk), level);
      return true;
    },
  });
  const stdout = stream('log');
  const stderr = stream('error');
  return new Proxy(Object.create(null) as object, {
    get(_t, prop) {
      if (prop === 'stdout') return stdout;
      if (prop === 'stderr') return stderr;
      if (prop === 'env') throw new SandboxError('env-not-available', 'Pipelines cannot read environment variables: the runtime connects Kafka and PostgreSQL for you.');
      if (prop === 'exit' || prop === 'abort' || prop === 'kill') {
        return () => {
          throw new SandboxError('process-exit', `process.${String(prop)}() is not available in a pipeline: stop the query instead (query.stop() or the Stop button).`);
        };
      }
      if (prop === Symbol.toPrimitive || prop === 'toString' || prop === Symbol.toStringTag) return undefined;
      throw denied(String(prop));
    },
    set(_t, prop) {
      throw denied(String(prop));
    },
  });
}

const resolveValue = Promise.resolve.bind(Promise);
const passThrough: AwaitTracker['track'] = (value) => resolveValue(value);

/** Creates the realm; nothing of the learner's runs until `evaluate`. */
export function createSandboxRealm(hooks: RealmHooks): SandboxRealm {
  const timers = new Set<NodeJS.Timeout>();
  const byId = new Map<number, NodeJS.Timeout>();
  let lastId = 0;
  const host: RealmTimerHost = {
    schedule(repeat, run, ms) {
      const id = ++lastId;
      const t = repeat ? setInterval(run, ms) : setTimeout(() => {
        timers.delete(t);
        byId.delete(id);
        run();
      }, ms);
      timers.add(t);
      byId.set(id, t);
      return id;
    },
    cancel(id) {
      const t = byId.get(id);
      if (!t) return;
      byId.delete(id);
      timers.delete(t);
      clearTimeout(t);
    },
    control(id, op) {
      const t = byId.get(id);
      if (!t) return false;
      if (op === 'hasRef') return t.hasRef();
      t[op]();
      return true;
    },
    microtask: (run) => queueMicrotask(run),
    print: (level, args) => hooks.print(level as PrintLevel, args),
  };
  const context = vm.createContext({}, { name: 'pipeline', codeGeneration: { strings: false, wasm: false } });
  // Defined by the realm's own code, so no object reached from them is the job process's.
  const realmGlobals = (new vm.Script(REALM_TIMERS_SOURCE, { filename: 'streamlab-timers.js' }).runInContext(context) as (h: RealmTimerHost) => Record<string, unknown>)(host);
  for (const [name, value] of Object.entries(realmGlobals)) Object.defineProperty(context, name, { value, writable: true, configurable: true, enumerable: false });
  const codec = new vm.Script(REALM_TEXT_CODEC_SOURCE, { filename: 'streamlab-text-codec.js' }).runInContext(context) as Record<'TextEncoder' | 'TextDecoder', unknown>;
  for (const name of ['TextEncoder', 'TextDecoder'] as const) Object.defineProperty(context, name, { value: codec[name], writable: true, configurable: true, enumerable: false });
  const standIn = processStandIn(hooks);
  Object.defineProperty(context, 'process', { get: () => standIn, enumerable: false });
  const require = (name: unknown): unknown => {
    if (name === 'streamlab') return hooks.api();
    throw new SandboxError('import-not-allowed', `Only "streamlab" and your own files can be imported; "${String(name)}" is not available in a pipeline.`);
  };
  return {
    timers,
    evaluate(code) {
      // Same first line as the compiled code, so line numbers in the stack are the compiled ones.
      const wrapped = `(function (exports, require, module, ${LOOP_GUARD_NAME}, ${AWAIT_TRACKER_NAME}) {${code}\n})`;
      const fn = new vm.Script(wrapped, { filename: PIPELINE_FILENAME }).runInContext(context) as (e: object, r: unknown, m: object, guard: () => void, awaits: AwaitTracker['track']) => unknown;
      const mod: { exports: Record<string, unknown> } = { exports: {} };
      fn(mod.exports, require, mod, hooks.loopGuard, hooks.awaits ?? passThrough);
      return mod.exports;
    },
  };
}
