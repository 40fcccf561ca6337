/** Lesson 06's data: the CSV producer's rows (the `machines` generator), broken on purpose every n-th. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateMachineRows } from '../../../runtime/src/datagen/index.js';
import { planLessonData } from '../../../runtime/src/lessons/lesson-data.js';
import { findLesson, loadLessons } from '../../../runtime/src/lessons/load-lessons.js';

const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));

describe('the machines generator', () => {
  it('writes id,temperature,vibration,pressure,rpm lines, one a second, and breaks every n-th row in turn', () => {
    const rows = generateMachineRows({ seed: 6, count: 12, badEvery: 4, startMs: Date.UTC(2026, 10, 21, 10) });
    expect(rows.map((r) => r.line)).toEqual([
      '1,81.0,3.7,113.5,1518.0', '2,75.9,0.24,102.4,1552.0', '3,57.4,3.51,133.6,1664.0', '4,,5.33,128.8,1354.0',
      '5,71.7,0.5,86.0,1087.0', '6,65.8,2.7,108.7,1370.0', '7,65.3,2.84,99.6,1484.0', '8,77.3,n/a,72.4,1391.0',
      '9,65.1,2.67,119.9,1388.0', '10,68.7,4.85,85.8,1709.0', '11,73.1,3.52,95.1,1143.0', '12,72.5,2.85',
    ]);
    expect(rows.map((r) => r.broken ?? '')).toEqual(['', '', '', 'empty field', '', '', '', 'not a number', '', '', '', 'too few fields']);
    expect(rows.map((r) => (r.atMs - rows[0]!.atMs) / 1000)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(generateMachineRows({ seed: 7, count: 12 })).not.toEqual(generateMachineRows({ seed: 6, count: 12 }));
  });
});

describe('lesson 06', () => {
  it('declares its topics, its model and a producer of CSV lines keyed by id, one a second on the system clock', async () => {
    const lesson = findLesson(await loadLessons(LESSONS), '06')!;
    expect(lesson.id).toBe('06-stream-inference');
    expect(lesson.models).toEqual(['model']);
    expect(lesson.topics.map((t) => `${t.name}/${t.partitions}`)).toEqual(['kaspar-inputs/1', 'kaspar-outputs/1']);
    const plan = planLessonData(lesson);
    const inputs = plan.datasets[0]!;
    expect([inputs.topic, inputs.records.length, inputs.rate, inputs.play]).toEqual(['kaspar-inputs', 120, 1, 'arrival']);
    expect(inputs.records.slice(0, 2).map((r) => [r.key, r.value, new Date(r.arrivalMs).toISOString()])).toEqual([
      ['1', '1,81.0,3.7,113.5,1518.0', '2026-11-21T10:00:00.000Z'],
      ['2', '2,75.9,0.24,102.4,1552.0', '2026-11-21T10:00:01.000Z'],
    ]);
    expect(inputs.records.filter((r) => r.value.split(',').length !== 5 || r.value.split(',').some((f) => !/^-?\d+(\.\d+)?$/.test(f)))).toHaveLength(17);
  });
});
