/**
 * The query form of Spark SQL that `spark.sql(...)` reads, over the expression parser of
 * `sql-parser.ts` (the one `selectExpr` and `F.expr` use):
 *
 *   statement := query [;]
 *   query     := [WITH name AS ( query ) (, name AS ( query ))*] body [ORDER BY sortList] [LIMIT number]
 *   body      := term (UNION [ALL | DISTINCT] term)*
 *   term      := select | ( query )
 *   select    := SELECT [DISTINCT | ALL] named (, named)* [FROM relation (, relation)*] [WHERE expr]
 *                [GROUP BY expr (, expr)*] [HAVING expr]
 *   relation  := primary (joinType JOIN primary [ON expr | USING ( name, ... )])*
 *   joinType  := [INNER | CROSS | LEFT [OUTER | SEMI | ANTI] | RIGHT [OUTER] | FULL [OUTER] | SEMI | ANTI]
 *   primary   := name [. name]* [[AS] alias] | ( query ) [[AS] alias]
 *
 *   or CREATE [OR REPLACE] TEMP[ORARY] VIEW name AS query
 *
 * The result is a syntax tree; `structured/sql.ts` turns it into the logical plan the DataFrame API builds.
 */
import { ParseException, syntaxError } from '../errors.js';
import { node, type Expr } from '../expressions/expr.js';
import { parseDataType } from '../types.js';
import { Parser, RESERVED_AFTER_EXPR } from './sql-parser.js';

/** A relation in FROM. `pos` is the 0-based offset where it is written. */
export type SqlRelation =
  | { readonly kind: 'table'; readonly name: string; readonly alias?: string; readonly pos: number }
  | { readonly kind: 'subquery'; readonly query: SqlQuery; readonly alias?: string; readonly pos: number }
  | { readonly kind: 'join'; readonly left: SqlRelation; readonly right: SqlRelation; readonly how: string; readonly on?: Expr; readonly using?: readonly string[]; readonly pos: number };

/** One SELECT block. */
export interface SqlSelect {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly Expr[];
  readonly from: SqlRelation | null;
  readonly where?: Expr;
  readonly groupBy?: readonly Expr[];
  readonly having?: Expr;
}

/** A query body: a SELECT, a parenthesised query or a UNION of two bodies. */
export type SqlBody =
  | SqlSelect
  | { readonly kind: 'query'; readonly query: SqlQuery }
  | { readonly kind: 'union'; readonly all: boolean; readonly left: SqlBody; readonly right: SqlBody };

/** A whole query. */
export interface SqlQuery {
  readonly ctes: readonly { readonly name: string; readonly query: SqlQuery }[];
  readonly body: SqlBody;
  readonly orderBy: readonly Expr[];
  readonly limit?: number;
}

/** Words that end an expression or a relation in a query, so they are never read as implicit aliases. */
const CLAUSE_WORDS: ReadonlySet<string> = new Set([
  ...RESERVED_AFTER_EXPR, 'where', 'group', 'having', 'order', 'limit', 'union', 'intersect', 'except', 'minus', 'join', 'inner', 'left',
  'right', 'full', 'cross', 'on', 'using', 'semi', 'anti', 'natural', 'lateral', 'window', 'sort', 'cluster', 'distribute', 'offset', 'select', 'over',
]);

/** A statement of `spark.sql`: a query, or `CREATE [OR REPLACE] TEMP VIEW name AS query`. */
export type SqlStatement =
  | { readonly kind: 'query'; readonly query: SqlQuery }
  | { readonly kind: 'createView'; readonly name: string; readonly replace: boolean; readonly query: SqlQuery };

/** What to write instead of statements other than queries and temporary views. */
const OTHER_STATEMENTS: Readonly<Record<string, string>> = {
  show: 'spark.catalog.listTables() lists the temporary views',
  describe: 'df.printSchema() prints a DataFrame\'s columns',
  desc: 'df.printSchema() prints a DataFrame\'s columns',
  drop: 'spark.catalog.dropTempView(name) drops a temporary view',
  insert: 'write a DataFrame with df.write or df.writeStream',
  explain: 'df.explain() prints the plan',
  set: 'spark.conf.set(key, value) sets a configuration',
  use: 'temporary views need no database',
  cache: 'a DataFrame is computed where it is used',
  alter: 'create the view again with createOrReplaceTempView',
};

class QueryParser extends Parser {
  statement(): SqlStatement {
    let out: SqlStatement;
    if (this.kw('create')) out = this.createView();
    else {
      const word = this.t.kind === 'ident' ? this.t.text.toLowerCase() : '';
      if (OTHER_STATEMENTS[word]) throw this.unsupported(`The statement ${word.toUpperCase()}`, OTHER_STATEMENTS[word]!);
      out = { kind: 'query', query: this.query() };
    }
    while (this.eatOp(';'));
    this.end();
    return out;
  }

  /** `CREATE [OR REPLACE] TEMP[ORARY] VIEW name AS query` (the current word is CREATE). */
  private createView(): SqlStatement {
    this.i++;
    let replace = false;
    if (this.eatKw('or')) {
      this.expectKw('replace');
      replace = true;
    }
    if (this.eatKw('global')) throw this.unsupported('CREATE GLOBAL TEMPORARY VIEW', 'a temporary view (CREATE TEMP VIEW or createOrReplaceTempView) is seen by the whole session');
    if (!this.eatKw('temp') && !this.eatKw('temporary')) throw this.unsupported('CREATE without TEMPORARY VIEW', 'Streamlab keeps no tables; CREATE TEMP VIEW name AS SELECT ... or createOrReplaceTempView registers a query');
    this.expectKw('view');
    const name = this.identifier();
    this.expectKw('as');
    return { kind: 'createView', name, replace, query: this.query() };
  }

  private query(): SqlQuery {
    const ctes: { name: string; query: SqlQuery }[] = [];
    if (this.eatKw('with')) {
      do {
        const name = this.identifier();
        this.eatKw('as');
        this.expectOp('(');
        ctes.push({ name, query: this.query() });
        this.expectOp(')');
      } while (this.eatOp(','));
    }
    const body = this.body();
    let orderBy: Expr[] = [];
    if (this.kw('order') && this.kw('by', 1)) {
      this.i += 2;
      orderBy = this.sortList();
    }
    let limit: number | undefined;
    if (this.eatKw('limit')) {
      const tok = this.t;
      if (this.eatKw('all')) limit = undefined;
      else if (tok.kind === 'num' && /^\d+$/.test(tok.text)) {
        this.i++;
        limit = Number(tok.text);
      } else {
        throw new ParseException(
          `[INVALID_LIMIT_LIKE_EXPRESSION.IS_UNFOLDABLE] The limit like expression "${tok.text}" is invalid. The limit expression must evaluate to a constant value.(line 1, pos ${tok.pos})\n\n== SQL ==\n${this.src}\n${' '.repeat(tok.pos)}^^^\n`,
          { code: 'INVALID_LIMIT_LIKE_EXPRESSION', position: tok.pos },
        );
      }
    }
    if (this.kw('intersect') || this.kw('except') || this.kw('minus')) throw this.unsupported(`${this.t.text.toUpperCase()} of two queries`, 'a left_semi (INTERSECT) or left_anti (EXCEPT) JOIN ... USING (...) gives the same rows');
    return { ctes, body, orderBy, limit };
  }

  private body(): SqlBody {
    let left = this.term();
    for (;;) {
      if (this.eatKw('union')) {
        const all = this.eatKw('all');
        if (!all) this.eatKw('distinct');
        left = { kind: 'union', all, left, right: this.term() };
      } else if (this.kw('intersect') || this.kw('except') || this.kw('minus')) {
        throw this.unsupported(`${this.t.text.toUpperCase()} of two queries`, 'a left_semi (INTERSECT) or left_anti (EXCEPT) JOIN ... USING (...) gives the same rows');
      } else return left;
    }
  }

  private term(): SqlBody {
    if (this.op('(')) {
      this.i++;
      const query = this.query();
      this.expectOp(')');
      return { kind: 'query', query };
    }
    return this.select();
  }

  private select(): SqlSelect {
    if (!this.eatKw('select')) throw this.error(this.t.kind === 'eof' ? 'expected SELECT' : `'${this.t.text}' does not start a query; spark.sql reads SELECT queries`);
    const distinct = this.eatKw('distinct');
    if (!distinct) this.eatKw('all');
    const items: Expr[] = [];
    do {
      if (this.op('*')) {
        this.i++;
        items.push(node({ kind: 'star' }));
        // Spark's grammar reads a word after `*` as its alias (so `SELECT * FORM t` fails at `t`).
        if (this.eatKw('as') || (this.t.kind === 'ident' && !CLAUSE_WORDS.has(this.t.text.toLowerCase()))) this.identifier();
      } else items.push(this.namedExpr(CLAUSE_WORDS));
      if (this.kw('over')) throw this.unsupported('window functions written in SQL (OVER)', 'write the window with the DataFrame API: F.row_number().over(Window.partitionBy(...).orderBy(...))');
    } while (this.eatOp(','));
    let from: SqlRelation | null = null;
    if (this.eatKw('from')) {
      from = this.relation();
      while (this.op(',')) {
        const pos = this.t.pos;
        this.i++;
        from = { kind: 'join', left: from, right: this.relation(), how: 'cross', pos };
      }
    }
    const where = this.eatKw('where') ? this.expr() : undefined;
    let groupBy: Expr[] | undefined;
    if (this.kw('group') && this.kw('by', 1)) {
      this.i += 2;
      if ((this.kw('rollup') || this.kw('cube')) && this.toks[this.i + 1].text === '(') throw this.unsupported(`GROUP BY ${this.t.text.toUpperCase()}`, 'group by the columns of each level and UNION ALL the results');
      groupBy = [this.expr()];
      while (this.eatOp(',')) groupBy.push(this.expr());
      if (this.kw('with') || this.kw('grouping')) throw this.unsupported('ROLLUP, CUBE and GROUPING SETS', 'group by the columns of each level and UNION ALL the results');
    }
    const having = this.eatKw('having') ? this.expr() : undefined;
    return { kind: 'select', distinct, items, from, where, groupBy, having };
  }

  private relation(): SqlRelation {
    let left = this.primaryRelation();
    for (;;) {
      const pos = this.t.pos;
      const how = this.joinType();
      if (how === null) return left;
      const right = this.primaryRelation();
      if (this.eatKw('on')) left = { kind: 'join', left, right, how, on: this.expr(), pos };
      else if (this.eatKw('using')) {
        this.expectOp('(');
        const using = [this.identifier()];
        while (this.eatOp(',')) using.push(this.identifier());
        this.expectOp(')');
        left = { kind: 'join', left, right, how, using, pos };
      } else left = { kind: 'join', left, right, how: how === 'inner' ? 'cross' : how, pos };
    }
  }

  /** The join type before JOIN, or null when no join follows. */
  private joinType(): string | null {
    const start = this.i;
    let how: string | null = null;
    if (this.eatKw('inner')) how = 'inner';
    else if (this.eatKw('cross')) how = 'cross';
    else if (this.eatKw('left')) how = this.eatKw('semi') ? 'left_semi' : this.eatKw('anti') ? 'left_anti' : (this.eatKw('outer'), 'left');
    else if (this.eatKw('right')) how = (this.eatKw('outer'), 'right');
    else if (this.eatKw('full')) how = (this.eatKw('outer'), 'full');
    else if (this.eatKw('semi')) how = 'left_semi';
    else if (this.eatKw('anti')) how = 'left_anti';
    else if (this.kw('natural')) throw this.unsupported('NATURAL JOIN', 'name the columns: JOIN ... USING (column, ...)');
    if (this.eatKw('join')) return how ?? 'inner';
    this.i = start;
    if (how !== null) throw this.error('expected JOIN');
    return null;
  }

  private primaryRelation(): SqlRelation {
    const pos = this.t.pos;
    if (this.op('(')) {
      this.i++;
      const query = this.query();
      this.expectOp(')');
      return { kind: 'subquery', query, alias: this.relationAlias(), pos };
    }
    if (this.t.kind !== 'ident' && this.t.kind !== 'qident') throw this.error('expected a table or view name');
    const parts = [this.identifier()];
    while (this.op('.') && (this.toks[this.i + 1].kind === 'ident' || this.toks[this.i + 1].kind === 'qident')) {
      this.i++;
      parts.push(this.identifier());
    }
    if (this.op('(')) throw this.unsupported(`the table-valued function ${parts.join('.')}(...)`, parts.join('.').toLowerCase() === 'range' ? 'spark.range(...) gives the same rows; register it with createOrReplaceTempView' : 'register a DataFrame with createOrReplaceTempView and read it by name');
    return { kind: 'table', name: parts.join('.'), alias: this.relationAlias(), pos };
  }

  private relationAlias(): string | undefined {
    if (this.eatKw('as')) return this.identifier();
    if (this.t.kind === 'qident' || (this.t.kind === 'ident' && !CLAUSE_WORDS.has(this.t.text.toLowerCase()))) return this.identifier();
    return undefined;
  }

  private unsupported(what: string, alternative: string): ParseException {
    const pos = this.t.pos;
    return new ParseException(
      `[UNSUPPORTED_FEATURE] ${what} is not supported by Streamlab's spark.sql yet: ${alternative}.(line 1, pos ${pos})\n\n== SQL ==\n${this.src}\n${' '.repeat(pos)}^^^\n`,
      { code: 'UNSUPPORTED_FEATURE', position: pos },
    );
  }
}

/** Parses the text of `spark.sql(...)`: one statement, as Spark's parser reads it. */
export function parseStatement(sql: string): SqlStatement {
  if (sql.trim() === '') throw syntaxError(sql, 0, 'empty query');
  const parser = new QueryParser(sql);
  const q = parser.statement();
  for (const schema of parser.schemas) parseDataType(schema);
  return q;
}
