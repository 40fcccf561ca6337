/** The endless-loop guard: where the calls go, that the source map still points at the learner, and when it throws. */
import { SourceMap } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileLearnerFiles } from '../../../runtime/src/jobs/compile.js';
import { createLoopGuard, LoopTimeoutError } from '../../../runtime/src/jobs/loop-guard.js';
import { instrumentAwaits, instrumentLoops } from '../../../runtime/src/jobs/loop-instrument.js';
import { dynamicImportAt, instrumentAwaitsAt, sourceMapLookup } from '../../../runtime/src/jobs/loop-insert.js';
import { mapPosition } from '../../../runtime/src/jobs/stack-remap.js';

const EMPTY_MAP = JSON.stringify({ version: 3, sources: [], names: [], mappings: '' });

describe('instrumentLoops', () => {
  it('puts a guard call at the top of every loop body, on the same line', () => {
    const code = 'while (a) { x(); }\nfor (;;) y();\nfor (const k in o) for (const v of k) z();\ndo w(); while (b);\n';
    expect(instrumentLoops(code, EMPTY_MAP).code).toBe(
      'while (a) {__streamlabLoopGuard(); x(); }\n'
      + 'for (;;) {__streamlabLoopGuard();y();}\n'
      + 'for (const k in o) {__streamlabLoopGuard();for (const v of k) {__streamlabLoopGuard();z();}}\n'
      + 'do {__streamlabLoopGuard();w();} while (b);\n',
    );
  });

  it('leaves code without loops alone', () => {
    expect(instrumentLoops('const a = [1, 2].map((x) => x * 2);\n', EMPTY_MAP)).toEqual({ code: 'const a = [1, 2].map((x) => x * 2);\n', map: EMPTY_MAP });
  });

  it('shifts the source map so every statement still maps to its learner position', async () => {
    const source = 'let total = 0;\nfor (let i = 0; i < 3; i++) { total += i; console.log(total); }\nfor (const r of [1, 2]) check(r, total);\nwhile (total > 0) total--; console.log("done");\nfunction check(a: number, b: number) { return a + b; }\n';
    const plain = await compileLearnerFiles([{ path: 'p.ts', content: source }]);
    const guarded = await compileLearnerFiles([{ path: 'p.ts', content: source }], undefined, { guardLoops: true });
    if (!plain.ok || !guarded.ok) throw new Error('compile failed');
    const at = (code: string, needle: string, nth = 0) => {
      let i = -1;
      for (let k = 0; k <= nth; k++) i = code.indexOf(needle, i + 1);
      const before = code.slice(0, i).split('\n');
      return { line: before.length, column: before[before.length - 1].length + 1 };
    };
    const plainMap = new SourceMap(JSON.parse(plain.pipeline.map));
    const guardedMap = new SourceMap(JSON.parse(guarded.pipeline.map));
    for (const [needle, nth] of [['total += i', 0], ['console.log(total)', 0], ['check(r, total)', 0], ['total)', 1], ['total--', 0], ['console.log("done")', 0]] as const) {
      const p = at(plain.pipeline.code, needle, nth);
      const g = at(guarded.pipeline.code, needle, nth);
      expect(mapPosition(guardedMap, g.line, g.column), needle).toEqual(mapPosition(plainMap, p.line, p.column));
    }
    expect(mapPosition(guardedMap, at(guarded.pipeline.code, 'console.log("done")').line, at(guarded.pipeline.code, 'console.log("done")').column))
      .toEqual({ file: 'p.ts', line: 4, column: 28 });
    expect(mapPosition(guardedMap, at(guarded.pipeline.code, 'check(r, total)').line, at(guarded.pipeline.code, 'check(r, total)').column))
      .toEqual({ file: 'p.ts', line: 3, column: 25 });
  });
});

describe('the await tracker\'s calls without node:module', () => {
  it('name the same learner positions with the pure source-map lookup as with Node\'s SourceMap', async () => {
    const source = [
      'export async function report(x: Promise<number>): Promise<number> {',
      '  const a = await x;',
      '  for (const n of [1, 2]) {',
      '    await Promise.resolve(n);',
      '  }',
      '  return a + (await new Promise<number>((r) => r(1)));',
      '}',
      '',
    ].join('\n');
    const plain = await compileLearnerFiles([{ path: 'lib/wait.ts', content: source }]);
    if (!plain.ok) throw new Error(plain.error.message);
    const { code, map } = plain.pipeline;
    const pure = instrumentAwaitsAt(code, map, sourceMapLookup(map));
    expect(pure).toEqual(instrumentAwaits(code, map));
    expect([...pure.code.matchAll(/__streamlabAwait\(.*?,("[^"]+",\d+,\d+)\)/g)].map((m) => m[1])).toEqual(['"lib/wait.ts",2,13', '"lib/wait.ts",4,5', '"lib/wait.ts",6,15']);
  });
});

describe('createLoopGuard', () => {
  function guardWithClock(limitMs: number, heapFull = false) {
    let t = 0;
    const pending: Array<() => void> = [];
    const guard = createLoopGuard(limitMs, () => t, (fn) => pending.push(fn), () => heapFull);
    return {
      guard,
      tick: (ms: number) => { t += ms; },
      endTurn: () => pending.splice(0).forEach((f) => f()),
      iterations: (n: number) => { for (let i = 0; i < n; i++) guard(); },
    };
  }

  it('throws once one turn of the event loop has looped past the limit', () => {
    const g = guardWithClock(1500);
    g.iterations(16); // arms at t = 0
    g.tick(1500);
    g.iterations(16); // exactly the limit: still allowed
    g.tick(1);
    expect(() => g.iterations(16)).toThrow(new LoopTimeoutError(1500));
    expect(() => g.iterations(16)).toThrow('This loop ran for more than 1.5 s without finishing, so the pipeline was stopped: check its condition.');
  });

  it('starts counting again when the turn ends (loops that await I/O)', () => {
    const g = guardWithClock(1500);
    for (let turn = 0; turn < 10; turn++) {
      g.iterations(16);
      g.tick(1000);
      g.iterations(16);
      g.endTurn();
    }
  });

  it('leaves a loop that is filling the heap to the memory limit', () => {
    const g = guardWithClock(1500, true);
    g.iterations(16);
    g.tick(10_000);
    expect(() => g.iterations(64)).not.toThrow();
  });
});

describe('createLoopGuard on its own clock', () => {
  it('counts CPU time, so a loop that waits for the CPU is not taken for an endless one', () => {
    const guard = createLoopGuard(100);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    // One turn of the event loop that lasts 400 ms of wall time while using almost no CPU: what a
    // short loop looks like on a machine whose cores are all busy with other learners' runs.
    expect(() => {
      for (let i = 0; i < 64; i++) {
        guard();
        if (i === 20) Atomics.wait(sleeper, 0, 0, 400);
      }
    }).not.toThrow();
  });

  it('stops a loop that keeps the CPU busy past the limit', () => {
    const guard = createLoopGuard(100);
    expect(() => {
      for (;;) guard();
    }).toThrow(new LoopTimeoutError(100));
  });
});

describe('dynamicImportAt', () => {
  it('finds the first import(…) of a script, and nothing in strings, comments or names', () => {
    expect(dynamicImportAt('const a = "import(x)"; // import(y)\nconst importer = 1;\nasync function f() {\n  return [await  import (where), import("z")];\n}\n')).toEqual({ line: 3, column: 17 });
    expect(dynamicImportAt('const a = `import(${b})`; /* import(c) */ obj.import(d);\n')).toBeNull();
  });
});
