/**
 * The learner realm's timers and console: they behave as Node's do for a pipeline (arguments, clearing
 * by handle or by number, intervals, ref/unref, the job process's count of pending timers), and nothing
 * reached from them belongs to the process: here the test process itself allows `new Function`, so a
 * host object among them (a Node `Timeout`, a host function) would hand out `process` — the realm's
 * own `Function` refuses.
 */
import { describe, expect, it } from 'vitest';
import { createSandboxRealm, type SandboxRealm } from '../../../runtime/src/jobs/child/sandbox-realm.js';

function realm(printed: unknown[][] = []): { realm: SandboxRealm; exports: Record<string, (...a: unknown[]) => unknown> } {
  const r = createSandboxRealm({ print: (level, args) => printed.push([level, ...args]), write: () => undefined, api: () => ({}), loopGuard: () => undefined });
  const exports = r.evaluate(`
exports.later = (ms, ...args) => new Promise((resolve) => setTimeout((...got) => resolve(got), ms, ...args));
exports.cleared = (byNumber) => new Promise((resolve) => {
  const fired = [];
  const t = setTimeout(() => fired.push('cleared one'), 1);
  clearTimeout(byNumber ? +t : t);
  setTimeout(() => resolve(fired), 20);
});
exports.interval = () => new Promise((resolve) => {
  let n = 0;
  const t = setInterval((step) => { n += step; if (n === 3) { clearInterval(t); setTimeout(() => resolve(n), 20); } }, 1, 1);
});
exports.handle = () => {
  const t = setTimeout(() => {}, 60000);
  const out = { unref: t.unref() === t, hasRefAfterUnref: t.hasRef(), ref: t.ref() === t, hasRef: t.hasRef(), number: typeof +t, frozen: Object.isFrozen(t) && Object.isFrozen(Object.getPrototypeOf(t)), own: Object.getOwnPropertyNames(t) };
  clearTimeout(t);
  out.hasRefAfterClear = t.hasRef();
  return out;
};
exports.pending = () => { const t = setTimeout(() => {}, 60000); return () => clearTimeout(t); };
exports.badCallback = () => { try { setTimeout('console.log(1)', 1); return 'scheduled'; } catch (e) { return e instanceof TypeError ? e.message : 'host error'; } };
exports.microtask = () => new Promise((resolve) => queueMicrotask(() => resolve('ran')));
exports.print = () => { console.log('a', 1); console.warn({ b: 2 }); };
exports.probe = () => {
  const tried = {};
  const attempt = (name, f) => { try { const v = f(); tried[name] = typeof v === 'object' && v !== null && typeof v.pid === 'number' ? 'process' : typeof v; } catch (e) { tried[name] = (e && e.name) + (e instanceof Error ? ' (realm)' : ' (host)'); } };
  const t = setTimeout(() => {}, 60000);
  attempt('setTimeout.constructor', () => setTimeout.constructor('return process')());
  attempt('clearInterval.constructor', () => clearInterval.constructor('return process')());
  attempt('queueMicrotask.constructor', () => queueMicrotask.constructor('return process')());
  attempt('console.log.constructor', () => console.log.constructor('return process')());
  attempt('handle.constructor.constructor', () => t.constructor.constructor('return process')());
  attempt('handle.unref.constructor', () => t.unref.constructor('return process')());
  attempt('handle._idleNext', () => t._idleNext.constructor.constructor('return process')());
  attempt('handle._onTimeout', () => t._onTimeout.constructor('return process')());
  attempt('patch handle', () => { 'use strict'; Object.getPrototypeOf(t).ref = () => null; });
  clearTimeout(t);
  return tried;
};
`) as Record<string, (...a: unknown[]) => unknown>;
  return { realm: r, exports };
}

describe('the learner realm\'s timers and console', () => {
  it('run callbacks with their arguments, clear by handle or by number, repeat intervals until cleared', async () => {
    const { realm: r, exports: e } = realm();
    expect(await e.later!(1, 'a', 2)).toEqual(['a', 2]);
    expect(await e.cleared!(false)).toEqual([]);
    expect(await e.cleared!(true)).toEqual([]);
    expect(await e.interval!()).toBe(3);
    expect(await e.microtask!()).toBe('ran');
    expect(e.badCallback!()).toBe('The "callback" argument must be of type function. Received string');
    expect(r.timers.size).toBe(0);
  });

  it('give frozen handles with ref, unref, hasRef and a number, and count pending timers for the job process', () => {
    const { realm: r, exports: e } = realm();
    expect(e.handle!()).toEqual({ unref: true, hasRefAfterUnref: false, ref: true, hasRef: true, number: 'number', frozen: true, own: [], hasRefAfterClear: false });
    const clear = e.pending!() as () => void;
    expect(r.timers.size).toBe(1);
    clear();
    expect(r.timers.size).toBe(0);
  });

  it('print through the job process\'s console hook', () => {
    const printed: unknown[][] = [];
    realm(printed).exports.print!();
    expect(printed).toEqual([['log', 'a', 1], ['warn', { b: 2 }]]);
  });

  it('lead nowhere but the realm: every Function reached refuses strings, and Node\'s Timeout is out of reach', () => {
    expect(realm().exports.probe!()).toEqual({
      'setTimeout.constructor': 'EvalError (realm)',
      'clearInterval.constructor': 'EvalError (realm)',
      'queueMicrotask.constructor': 'EvalError (realm)',
      'console.log.constructor': 'EvalError (realm)',
      'handle.constructor.constructor': 'EvalError (realm)',
      'handle.unref.constructor': 'EvalError (realm)',
      'handle._idleNext': 'TypeError (realm)',
      'handle._onTimeout': 'TypeError (realm)',
      'patch handle': 'TypeError (realm)',
    });
  });
});
