/**
 * The DAX and COVID-19 series of the lambda lesson: the same seed gives the same days, the exchange is
 * closed on weekends, weekends report fewer cases than the weekdays around them, corrections revise an
 * earlier date of one country in a later file, and each day becomes the CSV files the import job drops.
 */
import { describe, expect, it } from 'vitest';
import { generateLakeDays, lakeCsv } from '../../../runtime/src/datagen/index.js';

describe('generateLakeDays', () => {
  const days = generateLakeDays({ seed: 3, startDate: '2020-03-02', days: 70, countries: ['Germany', 'Italy'] });

  it('repeats for a seed and differs for another', () => {
    expect(generateLakeDays({ seed: 3, startDate: '2020-03-02', days: 70, countries: ['Germany', 'Italy'] })).toEqual(days);
    expect(generateLakeDays({ seed: 4, startDate: '2020-03-02', days: 70, countries: ['Germany', 'Italy'] })).not.toEqual(days);
  });

  it('gives one calendar day after another, with a close on weekdays only', () => {
    expect(days.map((d) => d.date).slice(0, 8)).toEqual(['2020-03-02', '2020-03-03', '2020-03-04', '2020-03-05', '2020-03-06', '2020-03-07', '2020-03-08', '2020-03-09']);
    for (const d of days) {
      const weekday = new Date(`${d.date}T00:00:00Z`).getUTCDay();
      expect(d.dax === null, d.date).toBe(weekday === 0 || weekday === 6);
      if (d.dax) {
        expect(d.dax.date).toBe(d.date);
        expect(Math.round(d.dax.close * 100) / 100).toBe(d.dax.close);
      }
    }
  });

  it('reports every country each day, then corrections of earlier dates', () => {
    let corrections = 0;
    for (const d of days) {
      expect(d.covid.slice(0, 2).map((c) => [c.reported, c.date, c.country])).toEqual([[d.date, d.date, 'Germany'], [d.date, d.date, 'Italy']]);
      for (const c of d.covid.slice(2)) {
        corrections++;
        expect(c.reported).toBe(d.date);
        expect(c.date < d.date).toBe(true);
        for (const n of [c.cases, c.deaths]) expect(Number.isInteger(n) && n >= 0).toBe(true);
      }
    }
    expect(corrections).toBeGreaterThan(3);
  });

  it('reports fewer cases on weekends than on the Monday after', () => {
    let weekendTotal = 0;
    let mondayTotal = 0;
    for (const d of days) {
      const weekday = new Date(`${d.date}T00:00:00Z`).getUTCDay();
      const cases = d.covid.filter((c) => c.date === d.date).reduce((s, c) => s + c.cases, 0);
      if (weekday === 6 || weekday === 0) weekendTotal += cases / 2;
      if (weekday === 1) mondayTotal += cases;
    }
    expect(weekendTotal).toBeLessThan(mondayTotal * 0.6);
  });

  it('writes a day as the import job drops it', () => {
    const monday = days[0];
    const files = lakeCsv(monday);
    expect(Object.keys(files)).toEqual(['covid/2020-03-02.csv', 'dax/2020-03-02.csv']);
    expect(files['dax/2020-03-02.csv']).toBe(`date,close\n2020-03-02,${monday.dax!.close}\n`);
    expect(files['covid/2020-03-02.csv'].split('\n')[0]).toBe('reported,date,country,cases,deaths');
    expect(files['covid/2020-03-02.csv'].split('\n')[1]).toBe(`2020-03-02,2020-03-02,Germany,${monday.covid[0].cases},${monday.covid[0].deaths}`);
    expect(Object.keys(lakeCsv(days[5]))).toEqual(['covid/2020-03-07.csv']);
  });
});
