import { describe, expect, it } from 'vitest';
import { servingSeries } from './serving-series.js';

const row = (week: string, country: string, cases: number, layer: string, dax: number | null, rollingCorr: number | null) => ({ week, country, cases, deaths: 0, layer, dax, rollingCorr });

describe('servingSeries', () => {
  it('aligns the rows on weeks, one series per country, with the layer that answered each week', () => {
    const s = servingSeries({
      lesson: '07-lambda-architecture', view: 'serving', rollingWeeks: 4,
      cache: { status: 'miss', hits: 0, misses: 1, invalidations: 0 },
      rows: [
        row('2020-03-02', 'Italy', 50, 'batch', 11000, null), row('2020-03-02', 'Germany', 5, 'batch', 11000, null),
        row('2020-03-09', 'Germany', 9, 'batch', 10500, -1), row('2020-03-30', 'Germany', 40, 'speed', 9800, -0.5), row('2020-03-30', 'Italy', 70, 'speed', 9800, 0.25),
      ],
    });
    expect(s.weeks).toEqual(['2020-03-02', '2020-03-09', '2020-03-30']);
    expect(s.x).toEqual([1583107200, 1583712000, 1585526400]);
    expect(s.countries).toEqual(['Germany', 'Italy']);
    expect(s.cases).toEqual([[5, 9, 40], [50, null, 70]]);
    expect(s.corr).toEqual([[null, -1, -0.5], [null, null, 0.25]]);
    expect(s.dax).toEqual([11000, 10500, 9800]);
    expect(s.layers).toEqual(['batch', 'batch', 'speed']);
  });
});
