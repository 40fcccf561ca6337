/**
 * How far the manual clock's advance button moves processing time. A batch of a processing-time
 * trigger (or of a StreamingContext) runs when the clock reaches its next interval boundary, so one
 * step is the running query's interval:
 *
 *   queries with an interval     one step per distinct interval, shortest first; with more than one,
 *                                each label names its queries (`+2 s (raw)`, `+10 s (averages)`)
 *   none, but a DStream batch    its batch interval (recordings made before queries were reported)
 *   none                         the interval the learner picks: the default trigger runs a batch when
 *                                data arrives, not on the clock, so there is no interval to follow
 */
import type { ClockMode } from '@streamlab/runtime/protocol';
import type { BatchEvent, RunQuery } from '../model/server-events.js';

/** One advance button. */
export interface AdvanceStep {
  /** Processing time to add, ms. */
  ms: number;
  /** Button text, e.g. `+10 s`. */
  label: string;
  /** What one step does, in words. */
  title: string;
}

/** The advance buttons for the current run. */
export interface AdvancePlan {
  steps: AdvanceStep[];
  /** True when no query reported an interval, so the learner picks the step. */
  chosen: boolean;
  /** Why the step is the learner's choice, when a query's trigger has no interval. */
  note?: string;
}

type Query = Omit<RunQuery, 'runId'>;

const seconds = (ms: number) => `${ms / 1000} s`;
const secondsWords = (ms: number) => `${ms / 1000} ${ms === 1000 ? 'second' : 'seconds'}`;
const nameOf = (q: Query) => (q.trigger.kind === 'batchDuration' ? 'the StreamingContext' : q.query ? `“${q.query}”` : 'the unnamed query');
const list = (names: string[]) => (names.length < 3 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
/** The queries' names, the unnamed ones counted once ("the two unnamed queries"), not repeated. */
function names(queries: readonly Query[]): string[] {
  const named = queries.filter((q) => q.trigger.kind === 'batchDuration' || q.query).map(nameOf);
  const unnamed = queries.length - named.length;
  const counted = unnamed === 0 ? [] : [unnamed === 1 ? 'the unnamed query' : `the ${unnamed === 2 ? 'two' : unnamed} unnamed queries`];
  return [...named, ...counted];
}

const TRIGGER_WORDS: Record<Query['trigger']['kind'], string> = {
  default: 'the default trigger, which runs a batch when data arrives, not on the clock',
  once: 'a once trigger, which runs one batch and stops',
  availableNow: 'an availableNow trigger, which processes what is there and stops',
  processingTime: 'a processing-time trigger',
  continuous: 'a continuous trigger',
  batchDuration: 'a batch duration',
};

/**
 * The advance buttons for a run.
 * @param queries the run's queries and their triggers
 * @param batches the run's batches (for DStream batch intervals when no query was reported)
 * @param chosenMs the interval the learner picked, used when no query has one
 */
export function advancePlan(queries: readonly Query[], batches: readonly BatchEvent[], chosenMs: number): AdvancePlan {
  const timed = queries.filter((q) => q.trigger.intervalMs > 0);
  if (timed.length > 0) {
    const intervals = [...new Set(timed.map((q) => q.trigger.intervalMs))].sort((a, b) => a - b);
    const steps = intervals.map((ms) => {
      const these = names(timed.filter((q) => q.trigger.intervalMs === ms));
      const dstream = timed.some((q) => q.trigger.intervalMs === ms && q.trigger.kind === 'batchDuration');
      const what = dstream ? 'one batch interval' : 'one trigger interval';
      return {
        ms,
        label: intervals.length > 1 ? `+${seconds(ms)} (${list(these.map((n) => n.replace(/^the /, '').replace(/[“”]/g, '')))})` : `+${seconds(ms)}`,
        title: `Advance the manual clock by ${secondsWords(ms)}: ${what} of ${list(these)}`,
      };
    });
    return { steps, chosen: false };
  }
  if (queries.length === 0) {
    const dstream = [...batches].reverse().find((b) => b.trace?.kind === 'dstream')?.trace;
    if (dstream?.kind === 'dstream' && dstream.batchIntervalMs > 0) {
      const ms = dstream.batchIntervalMs;
      return { steps: [{ ms, label: `+${seconds(ms)}`, title: `Advance the manual clock by ${secondsWords(ms)}: one batch interval of the StreamingContext` }], chosen: false };
    }
  }
  const step = { ms: chosenMs, label: `+${seconds(chosenMs)}`, title: `Advance the manual clock by ${secondsWords(chosenMs)}` };
  if (queries.length === 0) return { steps: [step], chosen: true };
  const kinds = [...new Set(queries.map((q) => q.trigger.kind))];
  const note = `${list(names(queries)).replace(/^t/, 'T')} ${queries.length === 1 ? 'uses' : 'use'} ${list(kinds.map((k) => TRIGGER_WORDS[k]))}.`;
  return { steps: [step], chosen: true, note };
}

/**
 * What Output says while a running run has printed nothing yet: what the first batch waits for, from
 * the run's queries and its clock. A StreamingContext makes its first batch at the next whole batch
 * interval of processing time (up to 10 s of an empty panel on the system clock, which otherwise looks
 * like a hang); a processing-time trigger runs at once and then at each whole interval.
 */
export function firstBatchWait(queries: readonly Query[], mode: ClockMode): string {
  const timed = queries.filter((q) => q.trigger.intervalMs > 0);
  const shortest = timed.length ? Math.min(...timed.map((q) => q.trigger.intervalMs)) : 0;
  const dstream = timed.some((q) => q.trigger.kind === 'batchDuration' && q.trigger.intervalMs === shortest);
  const manual = mode === 'manual';
  if (dstream) {
    return manual
      ? `Running on the manual clock: the StreamingContext makes a batch every ${secondsWords(shortest)} of processing time. Press +${seconds(shortest)} to end the first one, or Step.`
      : `Running: the StreamingContext makes a batch at every whole ${secondsWords(shortest)} of processing time, so the first one ends within ${secondsWords(shortest)} of the start and shows here then.`;
  }
  if (shortest > 0) {
    return manual
      ? `Running on the manual clock: a batch runs every ${secondsWords(shortest)} of processing time (the trigger's interval) when there is data. Press +${seconds(shortest)} to run the next one, or Step.`
      : `Running: a batch runs every ${secondsWords(shortest)} (the trigger's interval) when there is data, and shows here when it ends.`;
  }
  if (manual) return 'Running on the manual clock: press Step (or +N s) to run the first batch.';
  if (queries.length > 0) return 'Running: waiting for data; a batch runs as soon as records arrive in the topics it reads.';
  return 'Running: waiting for this run’s first batch.';
}
