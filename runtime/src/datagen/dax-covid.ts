/**
 * Daily closes of the German stock index (DAX) and daily COVID-19 case and death counts per country,
 * shaped like the real series and drawn from a seed (nothing is downloaded):
 *
 * - the index trades on weekdays only; it falls when infections climb steeply and recovers as they
 *   ebb, with noise on top, so the rolling correlation with cases moves as the waves come and go;
 * - infections come in waves (a sum of bell curves per country, each wave a little later and larger in
 *   some countries), deaths follow cases about two weeks later at a lower rate;
 * - authorities report less on weekends and catch up on Monday;
 * - now and then a day's counts are corrected later: the file of a later day carries the earlier
 *   date again with revised numbers (`reported` says which file a row came from).
 *
 * One {@link LakeDay} per calendar day; `lakeCsv` writes a day as the import job drops it into the
 * data lake: `dax/<date>.csv` (absent on weekends) and `covid/<date>.csv`.
 */
import { SeededRandom } from './random.js';

/** One DAX close. */
export interface DaxClose {
  date: string;
  close: number;
}

/** One country's counts for a date, as reported on `reported`. */
export interface CovidCount {
  reported: string;
  date: string;
  country: string;
  cases: number;
  deaths: number;
}

/** What the import job drops for one calendar day. */
export interface LakeDay {
  date: string;
  /** The day's close, or null when the exchange is closed (weekend). */
  dax: DaxClose | null;
  /** The day's counts per country, then corrections of earlier dates. */
  covid: CovidCount[];
}

/** Options of {@link generateLakeDays}. */
export interface LakeOptions {
  seed?: number;
  /** First calendar day, `YYYY-MM-DD`. */
  startDate?: string;
  days?: number;
  countries?: readonly string[];
  /** Chance that a day's file corrects an earlier date of one country. */
  correctionRate?: number;
}

/** The countries a lesson draws from when none are named. */
export const LAKE_COUNTRIES: readonly string[] = ['Germany', 'France', 'Italy', 'Spain', 'Austria', 'Netherlands'];

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an epoch day. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days of both series, in calendar order. */
export function generateLakeDays(options: LakeOptions = {}): LakeDay[] {
  const { seed = 19, startDate = '2020-03-02', days = 60, countries = LAKE_COUNTRIES.slice(0, 3), correctionRate = 0.15 } = options;
  const rnd = new SeededRandom(seed);
  const start = Date.parse(`${startDate}T00:00:00Z`);
  if (Number.isNaN(start)) throw new RangeError(`startDate must be YYYY-MM-DD, got ${startDate}`);
  // Each country: a population scale and 2–3 waves (centre day, width, height).
  const shapes = countries.map((country) => {
    const scale = 0.5 + rnd.next() * 1.5;
    const waves = Array.from({ length: rnd.int(2, 3) }, (_, i) => ({
      centre: (i + 0.3 + rnd.next() * 0.5) * (days / 2.5),
      width: 5 + rnd.next() * Math.max(4, days / 8),
      height: (2_000 + rnd.next() * 8_000) * scale * (1 + i * 0.5),
    }));
    return { country, waves, deathRate: 0.01 + rnd.next() * 0.02 };
  });
  const expected = (s: (typeof shapes)[number], day: number) => s.waves.reduce((sum, w) => sum + w.height * Math.exp(-(((day - w.centre) / w.width) ** 2)), 20);
  let close = 11_000 + rnd.next() * 3_000;
  const out: LakeDay[] = [];
  const reportedSoFar = new Map<string, CovidCount>();
  for (let d = 0; d < days; d++) {
    const ms = start + d * DAY_MS;
    const date = isoDate(ms);
    const weekday = new Date(ms).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const covid: CovidCount[] = [];
    let trend = 0;
    for (const s of shapes) {
      const today = expected(s, d);
      trend += (today - expected(s, d - 1)) / Math.max(today, 1);
      // Weekends report about half; Monday reports what the weekend left over.
      const reporting = weekend ? 0.45 + rnd.next() * 0.15 : weekday === 1 ? 1.35 + rnd.next() * 0.2 : 0.9 + rnd.next() * 0.2;
      const cases = Math.max(0, Math.round(today * reporting));
      const deaths = Math.max(0, Math.round(expected(s, d - 14) * s.deathRate * reporting * (0.8 + rnd.next() * 0.4)));
      const row = { reported: date, date, country: s.country, cases, deaths };
      covid.push(row);
      reportedSoFar.set(`${date}|${s.country}`, row);
    }
    if (d >= 3 && rnd.next() < correctionRate) {
      const back = rnd.int(1, Math.min(7, d));
      const s = rnd.pick(shapes);
      const earlier = reportedSoFar.get(`${isoDate(ms - back * DAY_MS)}|${s.country}`)!;
      const corrected = { reported: date, date: earlier.date, country: s.country, cases: Math.round(earlier.cases * (1.05 + rnd.next() * 0.25)), deaths: earlier.deaths + rnd.int(0, 3) };
      covid.push(corrected);
      reportedSoFar.set(`${earlier.date}|${s.country}`, corrected);
    }
    let dax: DaxClose | null = null;
    if (!weekend) {
      // Steep growth of infections weighs on the index; noise is about 1.2 % a day.
      close = close * (1 + 0.0004 - 0.04 * (trend / shapes.length) + rnd.gaussian(0, 0.012));
      dax = { date, close: Math.round(close * 100) / 100 };
    }
    out.push({ date, dax, covid });
  }
  return out;
}

/** The CSV header and lines of one file. */
function csv<T extends object>(header: readonly (keyof T & string)[], rows: readonly T[]): string {
  return [header.join(','), ...rows.map((r) => header.map((h) => String(r[h])).join(','))].join('\n') + '\n';
}

/** The files the import job writes for one day, by path inside the lake (`dax/2020-03-02.csv`). */
export function lakeCsv(day: LakeDay): Record<string, string> {
  const files: Record<string, string> = { [`covid/${day.date}.csv`]: csv<CovidCount>(['reported', 'date', 'country', 'cases', 'deaths'], day.covid) };
  if (day.dax) files[`dax/${day.date}.csv`] = csv<DaxClose>(['date', 'close'], [day.dax]);
  return files;
}

/** Options of {@link lakeFiles} and {@link announcedReports}: the lake's days, and which of them are news. */
export interface LakeSplitOptions extends Omit<LakeOptions, 'correctionRate'> {
  /**
   * Days already in the lake before the stream starts (the batch layer's history); the days after
   * them are announced one at a time. Default: all but the last two weeks.
   */
  historyDays?: number;
}

/** The lambda lesson's days: no corrections, so every country reports each date exactly once. */
function lessonDays(options: LakeSplitOptions): { days: LakeDay[]; historyDays: number } {
  const days = generateLakeDays({ ...options, correctionRate: 0 });
  return { days, historyDays: Math.min(options.historyDays ?? Math.max(0, days.length - 14), days.length) };
}

/** Every file of the lake, history and announced days alike, by path (`covid/2020-03-02.csv`). */
export function lakeFiles(options: LakeSplitOptions = {}): Record<string, string> {
  return Object.assign({}, ...lessonDays(options).days.map(lakeCsv)) as Record<string, string>;
}

/** The DAX close of the last trading day of each calendar week (Monday to Sunday) of the lake, by the week's Monday. */
export function weeklyDaxCloses(options: LakeSplitOptions = {}): { week: string; close: number }[] {
  const byWeek = new Map<string, number>();
  for (const day of lessonDays(options).days) {
    if (!day.dax) continue;
    const ms = Date.parse(`${day.date}T00:00:00Z`);
    // getUTCDay: 0 is Sunday; the week starts on the Monday before (or on) the day.
    byWeek.set(isoDate(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS), day.dax.close);
  }
  return [...byWeek].map(([week, close]) => ({ week, close }));
}

/** One country's report as the import job announces it on Kafka. */
export interface AnnouncedReport {
  report: CovidCount;
  /** The announcement's index (0 for the first day after the history): when it reaches Kafka. */
  slot: number;
}

/**
 * The reports of the days after the history, one announcement slot per day; every `lateEvery`-th
 * report (counting from 1) is held back and announced `lateBy` slots later, as an authority that
 * reports late does.
 */
export function announcedReports(options: LakeSplitOptions & { lateEvery?: number; lateBy?: number } = {}): AnnouncedReport[] {
  const { days, historyDays } = lessonDays(options);
  const { lateEvery = 0, lateBy = 0 } = options;
  const out: AnnouncedReport[] = [];
  let n = 0;
  days.slice(historyDays).forEach((day, slot) => {
    for (const report of day.covid) {
      n++;
      out.push({ report, slot: lateEvery > 0 && n % lateEvery === 0 ? slot + lateBy : slot });
    }
  });
  return out.sort((a, b) => a.slot - b.slot);
}
