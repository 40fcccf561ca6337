/**
 * The answer of the serving endpoint (`GET /api/serving?lesson=<id>`): the learner's serving view —
 * the batch view's weeks and the speed view's weeks after them — beside the week's DAX close and the
 * rolling correlation of the close with the week's cases, plus how the answer cache served it.
 */
import { z } from 'zod';

/** One week and country of the serving view. */
export const servingRow = z.strictObject({
  /** The week's Monday, `YYYY-MM-DD`. */
  week: z.string(),
  country: z.string(),
  cases: z.number().nullable(),
  deaths: z.number().nullable(),
  /** Which layer answered the week: `batch` or `speed` (as the learner's view writes it). */
  layer: z.string().nullable(),
  /** The DAX close of the week's last trading day, or null when the lake has none for that week. */
  dax: z.number().nullable(),
  /** The correlation of the weekly DAX close with the country's weekly cases over the last `rollingWeeks` weeks (null with fewer than two, or when one is constant). */
  rollingCorr: z.number().nullable(),
});
/** One week and country of the serving view. */
export type ServingRow = z.infer<typeof servingRow>;

/** How the answer cache served a request, and its counts since the runtime started. */
export const servingCacheStatus = z.strictObject({
  status: z.enum(['hit', 'miss']),
  hits: z.int().nonnegative(),
  misses: z.int().nonnegative(),
  /** Answers dropped because data was committed after they were computed. */
  invalidations: z.int().nonnegative(),
});

/** The serving endpoint's answer. */
export const servingAnswer = z.strictObject({
  lesson: z.string(),
  view: z.string(),
  rollingWeeks: z.int(),
  /** The view's rows in week, country and layer order, at most the first 1000. */
  rows: z.array(servingRow),
  /**
   * True when the view has more rows than `rows` holds. Optional so that an answer from a runtime that
   * does not send it still parses (it never cut silently beyond 1000 rows either way).
   */
  truncated: z.boolean().optional(),
  cache: servingCacheStatus,
});
/** The serving endpoint's answer. */
export type ServingAnswer = z.infer<typeof servingAnswer>;
