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

/**
 * Pids of every process (of any parent) whose command line or environment contains `text`: how a test
 * finds what a killed process left running, once it has been handed to another parent.
 */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // A zombie has run its course; only its parent's wait is left.
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) || readFileSync(`/proc/${entry}/environ`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked, or is another user's.
    }
  }
  return pids;
}

/** Parent pid of every process, read from /proc. */
function parents(): Map<number, number> {
  const ppids = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // A zombie has run its course; only its parent's wait is left.
      if (fields[0] !== 'Z') ppids.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return ppids;
}

/**
 * The processes of `pids` still running, with every descendant of theirs: how a test follows what a
 * process started after it was killed and its children were handed to another parent.
 */
export function processTree(pids: readonly number[]): number[] {
  const ppids = parents();
  const tree = new Set(pids.filter((pid) => ppids.has(pid)));
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of ppids) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/** Whether `pid` runs a job script (Run's job process, or a check's sandbox). */
export function isJobProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('job-child.mjs');
  } catch {
    return false;
  }
}
