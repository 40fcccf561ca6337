/**
 * The serving layer of a lesson with a `serving` front matter entry (the lambda architecture's web
 * tier): `answer(lessonId)` reads the learner's serving view — the batch view's weeks and the speed
 * view's weeks after them — as the learner's database role, beside the lake's weekly DAX closes, with
 * the correlation of close and cases per country over the last `rollingWeeks` weeks, through an
 * answer cache that a commit invalidates (see answer-cache.ts). The read has the database service's
 * statement timeout; PostgreSQL sends at most MAX_ROWS rows and one more, which only says that the
 * answer was cut (`truncated`).
 */
import { weeklyDaxCloses } from '../datagen/dax-covid.js';
import type { ServingAnswer, ServingRow } from '../protocol/index.js';
import { AnswerCache } from './answer-cache.js';
import { MAX_ROWS, STATEMENT_TIMEOUT_MS, type DatabaseService } from './database-service.js';
import type { LessonsService } from './lessons-service.js';
import { RequestError } from './request-error.js';

/** The serving query: the view's rows with the week's DAX close ($1 weeks, $2 closes) and the rolling correlation. */
function servingSql(view: string, rollingWeeks: number): string {
  return `WITH dax AS (SELECT d.week, d.close FROM unnest($1::date[], $2::float8[]) AS d(week, close)),
     s AS (SELECT week::date AS week, country::text AS country, cases::float8 AS cases, deaths::float8 AS deaths, layer::text AS layer FROM "${view}")
SELECT to_char(s.week, 'YYYY-MM-DD') AS week, s.country, s.cases, s.deaths, s.layer, dax.close AS dax,
       corr(dax.close, s.cases) OVER (PARTITION BY s.country ORDER BY s.week ROWS BETWEEN ${rollingWeeks - 1} PRECEDING AND CURRENT ROW) AS "rollingCorr"
  FROM s LEFT JOIN dax ON dax.week = s.week
 ORDER BY s.week, s.country, s.layer
 LIMIT ${MAX_ROWS + 1}`;
}

/** Answers lessons' serving queries through one cache. */
export class ServingService {
  private readonly cache = new AnswerCache<{ rows: ServingRow[]; truncated: boolean }>();

  constructor(private readonly lessons: LessonsService, private readonly database: DatabaseService) {}

  /** The lesson's serving answer, from the cache when no transaction committed since it was computed. */
  async answer(lessonId: string): Promise<ServingAnswer> {
    const lesson = await this.lessons.lesson(lessonId);
    if (!lesson.serving || !lesson.lake) throw new RequestError('not-found', `Lesson "${lessonId}" has no serving layer.`);
    const { view, rollingWeeks } = lesson.serving;
    const dax = weeklyDaxCloses(lesson.lake);
    const sql = servingSql(view, rollingWeeks);
    const key = `${lesson.id}\n${sql}`;
    for (;;) {
      let read: { version: string; rows: Record<string, unknown>[] | null; truncated: boolean };
      try {
        read = await this.database.snapshotRead((version) => this.cache.has(key, version), sql, [dax.map((d) => d.week), dax.map((d) => d.close)]);
      } catch (e) {
        if (e instanceof RequestError && e.code === 'invalid-request' && /does not exist/.test(e.message)) {
          throw new RequestError('invalid-request', `The serving view "${view}" cannot answer yet (${e.message}): run the lesson, whose code makes it.`);
        }
        if (e instanceof RequestError && e.code === 'invalid-request' && /statement timeout/.test(e.message)) {
          throw new RequestError('invalid-request', `The serving view "${view}" did not answer within ${STATEMENT_TIMEOUT_MS / 1000} s and was stopped (${e.message}): make it cheaper to read.`);
        }
        throw e;
      }
      const cached = this.cache.lookup(key, read.version);
      if (cached) return this.reply(lesson.id, view, rollingWeeks, cached, 'hit');
      // Kept answers can be pushed out between the read and the lookup; then read again.
      if (!read.rows) continue;
      const answer = { rows: read.rows.map(toServingRow), truncated: read.truncated };
      this.cache.store(key, read.version, answer);
      return this.reply(lesson.id, view, rollingWeeks, answer, 'miss');
    }
  }

  private reply(lesson: string, view: string, rollingWeeks: number, { rows, truncated }: { rows: ServingRow[]; truncated: boolean }, status: 'hit' | 'miss'): ServingAnswer {
    return { lesson, view, rollingWeeks, rows, truncated, cache: { status, ...this.cache.stats() } };
  }
}

function toServingRow(r: Record<string, unknown>): ServingRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    week: String(r.week),
    country: String(r.country),
    cases: num(r.cases),
    deaths: num(r.deaths),
    layer: r.layer === null ? null : String(r.layer),
    dax: num(r.dax),
    rollingCorr: num(r.rollingCorr),
  };
}
