import { describe, expect, it } from 'vitest';
import type { Lesson, LessonData } from '../model/server-events.js';
import { dataAnswered, dataControls, dataRequested, duration, extraText, replayText } from './lesson-data.js';
import { initialState, reduceEvent, runStarted, type SessionState } from './session-state.js';

const TEN = Date.UTC(2026, 10, 21, 10);
const data: LessonData = {
  clockStartMs: TEN,
  topics: [{ name: 'sensors.temperature', partitions: 3 }],
  records: 48,
  extras: [{ id: 'late-reading', label: 'a late reading (sensor-1, measured 90 s ago)', topic: 'sensors.temperature' }],
};
const lesson: Lesson = { id: '03', title: 'Windows', steps: [], files: [], hints: [], data };
const open: SessionState = { ...initialState(), connection: { state: 'open', attempt: 0 }, lesson };
const running = (mode: 'manual' | 'system', runId = 'r1') => reduceEvent(runStarted(open, runId, mode), { kind: 'run.status', runId, status: 'running' });

describe('the lesson-data controls', () => {
  it('are absent for a lesson without data, and for a lesson whose data is empty', () => {
    expect(dataControls({ ...open, lesson: { ...lesson, data: undefined } })).toBeNull();
    expect(dataControls({ ...open, lesson: { ...lesson, data: { ...data, records: 0, extras: [] } } })).toBeNull();
  });

  it('say why they are disabled before a run, while it starts, and when not connected', () => {
    const before = dataControls(open)!;
    expect(before.replay).toEqual({ id: 'replay', label: 'Replay data', enabled: false, title: 'The lesson\'s data plays into a run: press Run first.' });
    expect(before.extras).toEqual([{ id: 'late-reading', label: 'a late reading (sensor-1, measured 90 s ago)', enabled: false, title: 'The lesson\'s data plays into a run: press Run first.' }]);
    expect(before.line).toBeNull();
    const starting = dataControls(runStarted(open, 'r1', 'manual'))!;
    expect([starting.replay.enabled, starting.replay.title]).toEqual([false, 'Wait until the run is running: the data plays once its queries have started.']);
    const offline = dataControls({ ...running('manual'), connection: { state: 'reconnecting', attempt: 1 } })!;
    expect([offline.replay.enabled, offline.replay.title]).toEqual([false, 'Not connected to the runtime.']);
    const stopped = dataControls(reduceEvent(running('manual'), { kind: 'run.status', runId: 'r1', status: 'stopped' }))!;
    expect([stopped.replay.enabled, stopped.line]).toEqual([false, null]);
  });

  it('work while the run runs, and say how the data plays on its clock', () => {
    const manual = dataControls(running('manual'))!;
    expect(manual.replay).toEqual({ id: 'replay', label: 'Replay data', enabled: true, title: 'Play the lesson\'s 48 records again from the first, moved to the run\'s current time' });
    expect(manual.extras).toEqual([{ id: 'late-reading', label: 'a late reading (sensor-1, measured 90 s ago)', enabled: true, title: 'Send a late reading (sensor-1, measured 90 s ago) to sensors.temperature now' }]);
    expect(manual.line).toEqual({ runId: 'r1', text: 'The lesson\'s 48 records arrive as the clock reaches their arrival times.' });
    expect(dataControls(running('system'))!.line).toEqual({ runId: 'r1', text: 'The lesson\'s 48 records arrive at the lesson\'s rate.' });
  });

  it('wait for the runtime\'s answer, then show it on the run\'s line; a new run starts with the data\'s own line', () => {
    let state = dataRequested(running('manual'), 'r1', 'late-reading');
    const waiting = dataControls(state)!;
    expect([waiting.replay.enabled, waiting.extras[0]!.enabled, waiting.extras[0]!.title]).toEqual([false, false, 'Waiting for the runtime to answer the last request.']);
    state = dataAnswered(state, 'r1', 'Sent it.');
    expect(dataControls(state)).toMatchObject({ replay: { enabled: true }, line: { runId: 'r1', text: 'Sent it.' } });
    state = dataAnswered(state, 'r1', 'Not replayed: the run has ended.', true);
    expect(dataControls(state)!.line).toEqual({ runId: 'r1', text: 'Not replayed: the run has ended.', failed: true });
    // The answer of an earlier run's request neither clears this run's wait nor shows on its line.
    state = reduceEvent(runStarted(dataRequested(state, 'r1', 'replay'), 'r2', 'manual'), { kind: 'run.status', runId: 'r2', status: 'running' });
    state = dataRequested(state, 'r2', 'replay');
    state = dataAnswered(state, 'r1', 'Playing again.');
    expect(state.lessonData.pending).toEqual({ runId: 'r2', id: 'replay' });
    expect(dataControls(state)!.line).toEqual({ runId: 'r2', text: 'The lesson\'s 48 records arrive as the clock reaches their arrival times.' });
  });

  it('show no line once the run has stopped, failed or finished, whatever it said while running', () => {
    const played = dataAnswered(dataRequested(running('manual'), 'r1', 'replay'), 'r1', 'Playing the lesson\'s 48 records again, 3 min later (from 10:03:00).');
    expect(dataControls(played)!.line).toEqual({ runId: 'r1', text: 'Playing the lesson\'s 48 records again, 3 min later (from 10:03:00).' });
    for (const status of ['stopping', 'stopped', 'failed', 'finished'] as const) {
      const ended = dataControls(reduceEvent(played, { kind: 'run.status', runId: 'r1', status }))!;
      expect([status, ended.line, ended.replay.enabled]).toEqual([status, null, false]);
    }
  });
});

describe('the played line', () => {
  it('says how many records play again, how far they moved and from when', () => {
    expect(replayText(data, { records: 48, shiftMs: 180_000 })).toBe('Playing the lesson\'s 48 records again, 3 min later (from 10:03:00).');
    expect(replayText(data, { records: 1, shiftMs: 0 })).toBe('Playing the lesson\'s 1 record again from the start.');
    expect(replayText(data, { records: 48, shiftMs: Date.UTC(2026, 11, 7, 4, 12) - TEN }))
      .toBe('Playing the lesson\'s 48 records again, 15 d 18 h 12 min later (from 2026-12-07 04:12:00 UTC).');
    expect(replayText({ ...data, clockStartMs: null }, { records: 48, shiftMs: 90_000 })).toBe('Playing the lesson\'s 48 records again, 1 min 30 s later.');
  });

  it('names the extra record sent, its topic, key and event time', () => {
    expect(extraText('a late reading (sensor-1, measured 90 s ago)', { topic: 'sensors.temperature', key: 'sensor-1', eventTimeMs: TEN + 30_000 }))
      .toBe('Sent a late reading (sensor-1, measured 90 s ago) to sensors.temperature: key sensor-1, measured 10:00:30.');
    expect(extraText('a reading', { topic: 't', key: null, eventTimeMs: null })).toBe('Sent a reading to t: no key.');
  });

  it('writes durations as the lessons do', () => {
    expect([duration(0), duration(90_000), duration(120_000), duration(45_000), duration(((16 * 24 + 18) * 60 + 12) * 60_000)])
      .toEqual(['0 s', '1 min 30 s', '2 min', '45 s', '16 d 18 h 12 min']);
  });
});
