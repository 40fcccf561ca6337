/**
 * What the learner can do with a lesson's data while a run plays it, and the line that says what was
 * played. Pure: the session sends the requests and hands the replies here.
 *
 *   run starts          the line says how the data plays (on the manual clock: as the clock reaches
 *                       each record's arrival; on the system clock: at the lesson's rate)
 *   Replay data         run.replay → "Playing the lesson's 48 records again, 3 min later (from 10:03:00)."
 *   an extra's button   run.extra  → "Sent a late reading (…) to sensors.temperature: key sensor-1, measured 10:00:30."
 *   either fails        the line says why, in the runtime's words
 *
 * The line belongs to one run while it is active: a new run starts with the data's own line again, and
 * a run that stopped, failed or finished shows none (its data no longer plays).
 */
import type { ClockMode } from '@streamlab/runtime/protocol';
import type { LessonData } from '../model/server-events.js';
import { isActive, type SessionState } from './session-state.js';

/** The last thing done with the run's data, in words. */
export interface DataLine {
  runId: string;
  text: string;
  /** The request failed: the text says why. */
  failed?: boolean;
}

/** A button of the lesson-data controls. */
export interface DataButton {
  /** `replay`, or the extra's id. */
  id: string;
  label: string;
  enabled: boolean;
  /** What the button does, or why it is disabled. */
  title: string;
}

/** The lesson-data controls of the run controls; null when the lesson plays no data. */
export interface DataControls {
  replay: DataButton;
  extras: DataButton[];
  /** What was played, for the current run; null before a run. */
  line: DataLine | null;
}

/** The request of the run's data now on its way (`replay`, or an extra's id), per run. */
export interface DataPending {
  runId: string;
  id: string;
}

/** `10:03:00`: the time of day in UTC, as the lessons write their times. */
export function timeOfDay(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `3 min`, `90 s`, `1 min 30 s`, `16 d 18 h 12 min`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const parts: [number, string][] = [[Math.floor(s / 86_400), 'd'], [Math.floor(s / 3600) % 24, 'h'], [Math.floor(s / 60) % 60, 'min'], [s % 60, 's']];
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`);
  return shown.length ? shown.join(' ') : '0 s';
}

/** How the data plays in a run on this clock, before the learner has done anything with it. */
export function dataIntro(data: LessonData, mode: ClockMode): string {
  const records = plural(data.records, 'record', 'records');
  return mode === 'manual'
    ? `The lesson's ${records} arrive as the clock reaches their arrival times.`
    : `The lesson's ${records} arrive at the lesson's rate.`;
}

/** A request for the run's data went out. */
export function dataRequested(state: SessionState, runId: string, id: string): SessionState {
  return { ...state, lessonData: { ...state.lessonData, pending: { runId, id } } };
}

/** The request answered (`text`) or failed (`failed`, with the reason as `text`). */
export function dataAnswered(state: SessionState, runId: string, text: string, failed = false): SessionState {
  const pending = state.lessonData.pending?.runId === runId ? null : state.lessonData.pending;
  return { ...state, lessonData: { pending, line: { runId, text, ...(failed ? { failed } : {}) } } };
}

/** The line after `run.replay` answered. */
export function replayText(data: LessonData, reply: { records: number; shiftMs: number }): string {
  const records = plural(reply.records, 'record', 'records');
  if (reply.shiftMs <= 0) return `Playing the lesson's ${records} again from the start.`;
  // A shift of days (a replay on the system clock moves the data to today) names the day too.
  const at = (ms: number) => (reply.shiftMs >= 86_400_000 ? `${new Date(ms).toISOString().slice(0, 10)} ${timeOfDay(ms)} UTC` : timeOfDay(ms));
  const from = data.clockStartMs === null ? '' : ` (from ${at(data.clockStartMs + reply.shiftMs)})`;
  return `Playing the lesson's ${records} again, ${duration(reply.shiftMs)} later${from}.`;
}

/** The line after `run.extra` answered. */
export function extraText(label: string, reply: { topic: string; key: string | null; eventTimeMs: number | null }): string {
  const key = reply.key === null ? 'no key' : `key ${reply.key}`;
  const measured = reply.eventTimeMs === null ? '' : `, measured ${timeOfDay(reply.eventTimeMs)}`;
  return `Sent ${label} to ${reply.topic}: ${key}${measured}.`;
}

/** Why the data's buttons are disabled now, or null when they work. */
export function dataDisabledReason(state: SessionState): string | null {
  if (state.connection.state !== 'open') return 'Not connected to the runtime.';
  if (!isActive(state)) return 'The lesson\'s data plays into a run: press Run first.';
  if (state.run.status !== 'running') return 'Wait until the run is running: the data plays once its queries have started.';
  return null;
}

/** The controls for the state, or null when the open lesson has no data. */
export function dataControls(state: SessionState): DataControls | null {
  const data = state.lesson?.data;
  if (!data || (data.records === 0 && data.extras.length === 0)) return null;
  const why = dataDisabledReason(state);
  const runId = state.run.runId;
  const { pending, line } = state.lessonData;
  const busy = pending !== null && pending.runId === runId;
  const button = (id: string, label: string, title: string): DataButton => ({
    id, label, enabled: why === null && !busy, title: why ?? (busy ? 'Waiting for the runtime to answer the last request.' : title),
  });
  // The line speaks of data playing into a run: once the run has stopped (or failed) nothing plays,
  // so the line goes with it rather than keep saying what an ended run was doing.
  const active = runId !== null && isActive(state);
  const current = active && line && line.runId === runId ? line : null;
  return {
    replay: button('replay', 'Replay data', `Play the lesson's ${plural(data.records, 'record', 'records')} again from the first, moved to the run's current time`),
    extras: data.extras.map((x) => button(x.id, x.label, `Send ${x.label} to ${x.topic} now`)),
    line: current ?? (active ? { runId, text: dataIntro(data, state.run.mode) } : null),
  };
}
