/** The active clock: wall time minus the time a process waited for the CPU. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { activeClock, runQueueWaitMs } from '../../../runtime/src/jobs/process-time.js';

describe('process time', () => {
  it('reads a live process\'s run-queue wait, and nothing for one that does not exist', () => {
    const wait = runQueueWaitMs(process.pid);
    expect(typeof wait).toBe('number');
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(runQueueWaitMs(2 ** 22 + 17)).toBe(null);
    expect(runQueueWaitMs(undefined)).toBe(null);
  });

  it('is the wall clock where the wait cannot be read', () => {
    let t = 1000;
    const clock = activeClock(undefined, () => t);
    expect(clock()).toBe(1000);
    t = 4500;
    expect(clock()).toBe(4500);
  });

  it('never runs faster than the wall clock, and never backwards, for a process competing for the CPU', async () => {
    // Two busy processes per core make each wait on the run queue.
    const busy = Array.from({ length: 4 }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      let wall = 0;
      const clock = activeClock(busy[0]!.pid, () => wall);
      const readings: number[] = [];
      for (let i = 0; i < 20; i++) {
        wall = Date.now();
        readings.push(clock() - wall);
        await new Promise((r) => setTimeout(r, 50));
      }
      // clock() - wall is minus the wait so far: it only goes down (or stays) as the wait grows.
      for (let i = 1; i < readings.length; i++) expect(readings[i]!).toBeLessThanOrEqual(readings[i - 1]!);
      expect(readings.at(-1)!).toBeLessThanOrEqual(0);
    } finally {
      for (const p of busy) p.kill('SIGKILL');
    }
  });
});
