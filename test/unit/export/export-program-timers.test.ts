/**
 * A program is run in this process only to see what it would start: a `main()` that prints a table
 * every ten seconds (lesson 05's) must not go on printing it, from queries and flows that never ran,
 * once the export has looked at it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureProgram, captureStarts, compileProgram, evaluateProgram, ProgramTimers } from '../../../runtime/src/export/index.js';

const PROGRAM = `import { SparkSession, MemoryStream } from "streamlab";
export function main(): void {
  const spark = SparkSession.builder.appName("ticks").getOrCreate();
  new MemoryStream("n INT", spark).toDF().writeStream.format("console").start();
  setInterval(() => { (globalThis as any).__exportTicks.push("table"); }, 10_000);
}
`;

const ticks = () => (globalThis as unknown as { __exportTicks: string[] }).__exportTicks;

describe('timers of a captured program', () => {
  let code = '';
  beforeEach(async () => {
    code = await compileProgram([{ path: 'p.ts', content: PROGRAM }], 'p.ts');
    (globalThis as unknown as { __exportTicks: string[] }).__exportTicks = [];
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('run while the program is evaluated, and never after the capture', async () => {
    const program = await captureProgram(code);
    expect(program.queries.map((q) => q.format)).toEqual(['console']);
    vi.advanceTimersByTime(60_000);
    expect(ticks()).toEqual([]);
  });

  it('are the program\'s own: they fire until cancelled, then never again', async () => {
    const timers = new ProgramTimers();
    // Its query is recorded, not started.
    await captureStarts(() => (evaluateProgram(code, timers).main as () => void)());
    vi.advanceTimersByTime(20_000);
    expect(ticks()).toEqual(['table', 'table']);
    timers.cancelAll();
    vi.advanceTimersByTime(60_000);
    expect(ticks()).toEqual(['table', 'table']);
    // A timer scheduled after the cancel never starts.
    timers.setInterval(() => ticks().push('late'), 1_000);
    vi.advanceTimersByTime(5_000);
    expect(ticks()).toEqual(['table', 'table']);
  });
});
