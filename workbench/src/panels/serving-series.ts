/**
 * The serving answer as chart series: one x value per week (its Monday, in epoch seconds), the cases
 * and the rolling correlation per country, the DAX close, and which layer answered each week. Pure, so
 * the shaping is tested without a browser.
 */
import type { ServingAnswer } from '@streamlab/runtime/protocol';

/** Series aligned on `weeks`. */
export interface ServingSeries {
  /** Each week's Monday, `YYYY-MM-DD`, ascending. */
  weeks: string[];
  /** The same weeks in epoch seconds (uPlot's time axis). */
  x: number[];
  countries: string[];
  /** Per country, the week's cases (null where the view has no row). */
  cases: (number | null)[][];
  /** Per country, the rolling correlation of the DAX close with its cases. */
  corr: (number | null)[][];
  /** The DAX close of each week's last trading day. */
  dax: (number | null)[];
  /** Which layer answered each week (`batch`, `speed`, or both when countries differ). */
  layers: string[];
}

/** Shapes the answer's rows (one per week and country) into aligned series. */
export function servingSeries(answer: ServingAnswer): ServingSeries {
  const weeks = [...new Set(answer.rows.map((r) => r.week))].sort();
  const countries = [...new Set(answer.rows.map((r) => r.country))].sort();
  const at = new Map(weeks.map((w, i) => [w, i]));
  const cases = countries.map(() => weeks.map((): number | null => null));
  const corr = countries.map(() => weeks.map((): number | null => null));
  const dax = weeks.map((): number | null => null);
  const layers = weeks.map(() => new Set<string>());
  for (const r of answer.rows) {
    const i = at.get(r.week)!;
    const c = countries.indexOf(r.country);
    cases[c]![i] = r.cases;
    corr[c]![i] = r.rollingCorr;
    dax[i] = r.dax ?? dax[i]!;
    if (r.layer) layers[i]!.add(r.layer);
  }
  return { weeks, x: weeks.map((w) => Date.parse(`${w}T00:00:00Z`) / 1000), countries, cases, corr, dax, layers: layers.map((l) => [...l].sort().join('+')) };
}
