/**
 * The job processes a runtime has going, read from /proc (Linux): how a test sees that a run's process
 * started, or that none is left.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the job processes whose parent is `parentPid` (the runtime: this test process, or a `streamlab start` child). */
export function jobProcesses(parentPid: number = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('job-child.mjs')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
