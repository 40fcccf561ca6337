/**
 * Lesson 07's data: the lake's CSV files (every day of the DAX and COVID-19 series) and the reports of
 * the days after its history, announced on covid.reports one day every 10 seconds, some late; both
 * drawn from the same options, so the stream announces exactly the lake's own days.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { announcedReports, lakeFiles } from '../../../runtime/src/datagen/index.js';
import { planLessonData } from '../../../runtime/src/lessons/lesson-data.js';
import { findLesson, loadLessons } from '../../../runtime/src/lessons/load-lessons.js';
import { LessonsService } from '../../../runtime/src/server/lessons-service.js';

const LESSONS = fileURLToPath(new URL('../../../lessons', import.meta.url));

describe('the lake and its announcements', () => {
  const options = { seed: 11, startDate: '2020-03-02', days: 21, countries: ['Germany', 'Italy'], historyDays: 14 };

  it('writes a covid file for every day and a dax file for every weekday, one report per country and date', () => {
    const files = lakeFiles(options);
    expect(Object.keys(files).filter((p) => p.startsWith('covid/'))).toHaveLength(21);
    expect(Object.keys(files).filter((p) => p.startsWith('dax/'))).toHaveLength(15);
    expect(files['dax/2020-03-07.csv']).toBeUndefined();
    const covid = files['covid/2020-03-02.csv']!.trim().split('\n');
    expect(covid[0]).toBe('reported,date,country,cases,deaths');
    expect(covid.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['2020-03-02,2020-03-02,Germany', '2020-03-02,2020-03-02,Italy']);
    expect(lakeFiles(options)).toEqual(files);
    expect(lakeFiles({ ...options, seed: 12 })).not.toEqual(files);
  });

  it('announces the days after the history, each report as the lake has it, every n-th late', () => {
    const files = lakeFiles(options);
    const onTime = announcedReports(options);
    expect(onTime.map((a) => `${a.slot} ${a.report.date} ${a.report.country}`).slice(0, 3)).toEqual(['0 2020-03-16 Germany', '0 2020-03-16 Italy', '1 2020-03-17 Germany']);
    expect(onTime).toHaveLength(14);
    for (const { report } of onTime) expect(files[`covid/${report.date}.csv`]).toContain(`${report.reported},${report.date},${report.country},${report.cases},${report.deaths}`);
    const late = announcedReports({ ...options, lateEvery: 5, lateBy: 2 });
    expect(late.filter((a) => a.slot !== onTime.find((o) => o.report === a.report || (o.report.date === a.report.date && o.report.country === a.report.country))!.slot)
      .map((a) => `${a.slot} ${a.report.date} ${a.report.country}`)).toEqual(['4 2020-03-18 Germany', '6 2020-03-20 Italy']);
  });
});

describe('lesson 07', () => {
  it('declares its topic, its tables, its lake and the announced reports, one day every 10 seconds from the clock\'s start', async () => {
    const lesson = findLesson(await loadLessons(LESSONS), '07')!;
    expect(lesson.id).toBe('07-lambda-architecture');
    expect(lesson.topics.map((t) => `${t.name}/${t.partitions}`)).toEqual(['covid.reports/3']);
    expect(lesson.tables).toEqual(['batch_view', 'speed_view', 'serving']);
    const files = await new LessonsService(LESSONS).lakeFiles(lesson.id);
    expect(Object.keys(files!).filter((p) => p.startsWith('covid/')).sort().slice(0, 1).concat(Object.keys(files!).filter((p) => p.startsWith('covid/')).sort().slice(-1)))
      .toEqual(['covid/2020-03-02.csv', 'covid/2020-04-12.csv']);
    const reports = planLessonData(lesson).datasets[0]!;
    expect([reports.topic, reports.records.length]).toEqual(['covid.reports', 42]);
    const first = reports.records[0]!;
    expect([first.key, JSON.parse(first.value).date, new Date(first.arrivalMs).toISOString()]).toEqual(['Germany', '2020-03-30', '2020-04-13T06:00:10.000Z']);
    // Every report is one the lake holds: the speed layer sees what the batch layer will read.
    for (const r of reports.records) {
      const v = JSON.parse(r.value) as { reported: string; date: string; country: string; cases: number; deaths: number };
      expect(files![`covid/${v.date}.csv`]).toContain(`${v.reported},${v.date},${v.country},${v.cases},${v.deaths}`);
    }
    // Every 11th report comes two days (20 s) late.
    const late = reports.records.filter((r) => r.arrivalMs - Date.parse('2020-04-13T06:00:00Z') !== (Math.round((Date.parse(`${JSON.parse(r.value).date}T00:00:00Z`) - Date.parse('2020-03-30T00:00:00Z')) / 86_400_000) + 1) * 10_000);
    expect(late).toHaveLength(3);
  });
});
