/**
 * Pekko Connectors Slick: flows that write to (and read from) PostgreSQL.
 *
 *   const session = SlickSession.forConfig("slick-postgres");
 *   fixes.runWith(Slick.sink(session, (fix) => sqlu`INSERT INTO locations VALUES (${fix.device_id}, ${fix.ts})`), system);
 *
 * `sqlu`/`sql` are tagged templates: every `${value}` becomes a bound parameter (`$1`, `$2`, ...), never
 * text spliced into the SQL; `${Slick.literal(name)}` splices an identifier (Slick's `#$`). `Slick.sink(session, [parallelism,] f)` runs up to `parallelism`
 * statements at once (default 1) and materializes `Promise<Done>`; `Slick.flow` emits each statement's
 * row count; `Slick.flowWithPassThrough` emits what the function's result maps to; `Slick.source` emits
 * the rows of a query. In the workbench every session is the runtime's PostgreSQL, whatever config
 * name the code gives.
 */
import type { Done, NotUsed } from '../graph.js';
import { Flow } from '../flow.js';
import { Keep } from '../keep.js';
import { Sink } from '../sink.js';
import { Source } from '../source.js';
import { sqlExecutorFactory, type SqlExecutor, type SqlResult, type SqlStatement } from './sql-executor.js';

/** A statement built by `sqlu`/`sql`; `.map(f)` turns its result into what `flowWithPassThrough` emits. */
export class SqlAction<R = number> implements SqlStatement {
  constructor(readonly text: string, readonly values: readonly unknown[], /** @internal */ readonly project: (r: SqlResult) => R) {}

  /** Maps the result (Slick's `DBIO.map`). */
  map<R2>(f: (result: R) => R2): SqlAction<R2> {
    return new SqlAction<R2>(this.text, this.values, (r) => f(this.project(r)));
  }
}

/** Text spliced into a statement as it is (Slick's `#$`): for identifiers such as a table name, never for data. */
export class SqlLiteral {
  constructor(readonly text: string) {}
}

function build<R>(strings: TemplateStringsArray, values: readonly unknown[], project: (r: SqlResult) => R): SqlAction<R> {
  let text = strings[0] ?? '';
  const bound: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof SqlLiteral) text += v.text;
    else {
      bound.push(v === undefined ? null : v);
      text += `$${bound.length}`;
    }
    text += strings[i + 1] ?? '';
  });
  return new SqlAction<R>(text, bound, project);
}

/** An update (INSERT, UPDATE, DELETE, DDL): its result is the number of rows affected. */
export function sqlu(strings: TemplateStringsArray, ...values: unknown[]): SqlAction<number> {
  return build(strings, values, (r) => r.rowCount);
}

/** A query: its result is the rows. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlAction<readonly Record<string, unknown>[]> {
  return build(strings, values, (r) => r.rows);
}

/** Pekko Connectors' `SlickSession`: a connection pool to close when done. */
export class SlickSession {
  private executor: SqlExecutor | null = null;
  private closed = false;

  /** Runs one statement outside a stream (Slick's `session.db.run(dbio)`), e.g. a `CREATE TABLE`. */
  readonly db: { run<R>(action: SqlAction<R>): Promise<R> } = { run: (action) => this.run(action) };

  private constructor(readonly configName: string) {}

  /** A session for a configuration name (in the workbench: the runtime's PostgreSQL). */
  static forConfig(configName = 'slick-postgres'): SlickSession {
    return new SlickSession(configName);
  }

  /** @internal */
  run<R>(action: SqlAction<R>): Promise<R> {
    if (!(action instanceof SqlAction)) {
      return Promise.reject(new TypeError('Slick: the function must return a statement built with sqlu`...` or sql`...`'));
    }
    if (this.closed) return Promise.reject(new Error('SlickSession is closed'));
    this.executor ??= sqlExecutorFactory()(this.configName);
    return this.executor.run(action).then((r) => action.project(r));
  }

  /** Closes the pool. */
  async close(): Promise<void> {
    this.closed = true;
    await this.executor?.close();
  }
}

function checkSession(session: unknown, where: string): SlickSession {
  if (!(session instanceof SlickSession)) throw new TypeError(`${where}: expected a SlickSession first (SlickSession.forConfig("slick-postgres"))`);
  return session;
}

function parallelismAndFn<T, R>(args: readonly unknown[], where: string): [number, (x: T) => SqlAction<R>] {
  const [a, b] = args;
  if (typeof a === 'function') return [1, a as (x: T) => SqlAction<R>];
  if (typeof a === 'number' && typeof b === 'function') return [a, b as (x: T) => SqlAction<R>];
  throw new TypeError(`${where}: expected (session, [parallelism,] element => sqlu\`...\`)`);
}

/** Pekko Connectors' `Slick`. */
export const Slick = Object.freeze({
  /** Text spliced into a `sqlu`/`sql` statement as it is (a table or column name), Slick's `#$`. */
  literal(text: string): SqlLiteral {
    if (typeof text !== 'string') throw new TypeError('Slick.literal: expected text');
    return new SqlLiteral(text);
  },

  /** Runs a statement per element; `Done` when the stream completes. */
  sink<T>(session: SlickSession, ...args: [(x: T) => SqlAction<unknown>] | [number, (x: T) => SqlAction<unknown>]): Sink<T, Promise<Done>> {
    const s = checkSession(session, 'Slick.sink');
    const [parallelism, f] = parallelismAndFn<T, unknown>(args, 'Slick.sink');
    // The element itself goes on to the ignoring sink, so an element made from a Kafka record is measured there.
    return Flow.create<T>().mapAsync(parallelism, (x) => s.run(f(x)).then(() => x)).toMat(Sink.ignore(), Keep.right);
  },

  /** Runs a statement per element and emits its row count. */
  flow<T>(session: SlickSession, ...args: [(x: T) => SqlAction<number>] | [number, (x: T) => SqlAction<number>]): Flow<T, number, NotUsed> {
    const s = checkSession(session, 'Slick.flow');
    const [parallelism, f] = parallelismAndFn<T, number>(args, 'Slick.flow');
    return Flow.create<T>().mapAsync(parallelism, (x) => s.run(f(x)));
  },

  /** Runs a statement per element and emits what its (mapped) result is. */
  flowWithPassThrough<T, R>(session: SlickSession, ...args: [(x: T) => SqlAction<R>] | [number, (x: T) => SqlAction<R>]): Flow<T, R, NotUsed> {
    const s = checkSession(session, 'Slick.flowWithPassThrough');
    const [parallelism, f] = parallelismAndFn<T, R>(args, 'Slick.flowWithPassThrough');
    return Flow.create<T>().mapAsync(parallelism, (x) => s.run(f(x)));
  },

  /** The rows of a query. */
  source(session: SlickSession, query: SqlAction<readonly Record<string, unknown>[]>): Source<Record<string, unknown>, NotUsed> {
    const s = checkSession(session, 'Slick.source');
    return Source.future(s.run(query)).mapConcat((rows) => rows);
  },
});
