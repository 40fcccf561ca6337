/**
 * SQL expression parser for `expr`, `selectExpr` and `filter` strings.
 *
 * Grammar (precedence from loosest to tightest):
 *   named      := expr [[AS] identifier]
 *   expr       := or
 *   or         := and (OR and)*
 *   and        := not (AND not)*
 *   not        := NOT not | predicate
 *   predicate  := concat [ (= | == | != | <> | < | <= | > | >= | <=>) concat
 *                        | IS [NOT] NULL | [NOT] IN (expr, ...) | [NOT] LIKE concat
 *                        | [NOT] BETWEEN concat AND concat ]
 *   concat     := additive (|| additive)*
 *   additive   := multiplicative ((+ | -) multiplicative)*
 *   multiplicative := unary ((* | / | % | DIV) unary)*
 *   unary      := (- | +) unary | postfix
 *   postfix    := primary ( . identifier | [ expr ] | :: type )*
 *   primary    := number | string | TRUE | FALSE | NULL | * | ( expr )
 *               | (CAST | TRY_CAST) ( expr AS type ) | CASE [expr] (WHEN expr THEN expr)+ [ELSE expr] END
 *               | (DATE | TIMESTAMP | TIMESTAMP_LTZ | TIMESTAMP_NTZ | X) string
 *               | INTERVAL string [unit [TO unit]] | INTERVAL ([+|-] (number | string) unit)+
 *               | identifier ( [DISTINCT] args | * ) | identifier [. *]
 * Typed literals are read where they are written, as Spark's parser reads them: a value that is no
 * date, timestamp or hex string is a ParseException (INVALID_TYPED_LITERAL), not a NULL.
 * Errors are ParseExceptions whose `position` is the 0-based offset of the offending token.
 */
import { ParseException, syntaxError } from '../errors.js';
import { parseDate, parseInterval, parseTimestamp } from '../time.js';
import { parsingZone } from '../time-zone.js';
import { call, colRef, literal, node, type BinaryOp, type Expr } from '../expressions/expr.js';
import { parseDataType, type DataType, INT, LONG, DOUBLE, STRING, BOOLEAN, NULL, DECIMAL, DATE, TIMESTAMP, TIMESTAMP_NTZ, BINARY } from '../types.js';

type TokKind = 'num' | 'str' | 'ident' | 'qident' | 'op' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  pos: number;
}

const OPS = ['<=>', '==', '!=', '<>', '<=', '>=', '||', '::', '->', '<', '>', '=', '+', '-', '*', '/', '%', '(', ')', ',', '.', '[', ']', '|', '&', '^', '~', '!', ';'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[LlDdSsYy]?(?:BD)?/.exec(src.slice(i))!;
      out.push({ kind: 'num', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw syntaxError(src, i, 'unterminated string literal');
      out.push({ kind: 'str', text: s, pos: i });
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw syntaxError(src, i, 'unterminated quoted identifier');
      out.push({ kind: 'qident', text: src.slice(i + 1, j), pos: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: 'ident', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw syntaxError(src, i, `unexpected character '${c}'`);
    out.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}

export const RESERVED_AFTER_EXPR: ReadonlySet<string> = new Set(['as', 'and', 'or', 'not', 'is', 'in', 'like', 'rlike', 'between', 'when', 'then', 'else', 'end', 'from', 'asc', 'desc', 'nulls', 'div']);

export class Parser {
  protected i = 0;
  protected readonly toks: Token[];
  /** The parameters of the lambdas being read, innermost last (their names shadow columns). */
  private readonly lambdaScopes: string[][] = [];
  /** Schema strings of the `from_json` calls read so far, checked once the text is parsed. */
  readonly schemas: string[] = [];
  constructor(protected readonly src: string) {
    this.toks = tokenize(src);
  }

  protected get t(): Token {
    return this.toks[this.i];
  }
  protected kw(word: string, offset = 0): boolean {
    const tok = this.toks[this.i + offset];
    return tok.kind === 'ident' && tok.text.toLowerCase() === word;
  }
  protected op(text: string): boolean {
    return this.t.kind === 'op' && this.t.text === text;
  }
  protected eatKw(word: string): boolean {
    if (this.kw(word)) {
      this.i++;
      return true;
    }
    return false;
  }
  protected eatOp(text: string): boolean {
    if (this.op(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  protected expectOp(text: string): void {
    if (!this.eatOp(text)) throw this.error(`expected '${text}'`);
  }
  protected expectKw(word: string): void {
    if (!this.eatKw(word)) throw this.error(`expected ${word.toUpperCase()}`);
  }
  /** An interval literal; like Spark's ANSI literals it may not mix months with days or times. */
  private intervalLiteral(text: string, position: number, sql: string): Expr {
    let iv: { months: number; micros: number } | null = null;
    try {
      iv = parseInterval(text);
    } catch {
      // Left to the compiler, which reports the bad interval text.
    }
    if (iv && iv.months !== 0 && iv.micros !== 0) {
      throw new ParseException(`Cannot mix year-month and day-time fields: ${sql}.(line 1, pos ${position})\n\n== SQL ==\n${this.src}\n${' '.repeat(position)}^^^\n`, { code: 'PARSE_SYNTAX_ERROR', position });
    }
    return call('interval_literal', [literal(text, STRING)]);
  }

  /**
   * The value of a typed literal (`DATE '2020-03-15'`, `TIMESTAMP '…'`, `X'0AFF'`), converted as Spark's
   * parser converts it: dates with `stringToDate`, timestamps in the session time zone unless the text
   * names a zone (a `TIMESTAMP_NTZ` ignores a zone written in it), `'epoch'` as the epoch, hex strings of odd length
   * padded with a leading 0.
   */
  private typedLiteral(): Expr {
    const typeTok = this.t;
    this.i++;
    const value = this.t.text;
    this.i++;
    const type = typeTok.text.toUpperCase();
    const invalid = () => new ParseException(
      `[INVALID_TYPED_LITERAL] The value of the typed literal "${type}" is invalid: '${value}'.(line 1, pos ${typeTok.pos})\n\n== SQL ==\n${this.src}\n${' '.repeat(typeTok.pos)}^^^\n`,
      { code: 'INVALID_TYPED_LITERAL', position: typeTok.pos },
    );
    const epoch = value.trim().toLowerCase() === 'epoch';
    switch (type) {
      case 'DATE': {
        if (epoch) return literal(0, DATE);
        const special = SPECIAL_DATES.has(value.trim().toLowerCase());
        if (special) throw this.wallClockLiteral(typeTok, type, value);
        const days = parseDate(value);
        if (days === null) throw invalid();
        return literal(days, DATE);
      }
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
      case 'TIMESTAMP_NTZ': {
        if (epoch) return literal(0, type === 'TIMESTAMP_NTZ' ? TIMESTAMP_NTZ : TIMESTAMP);
        if (SPECIAL_DATES.has(value.trim().toLowerCase())) throw this.wallClockLiteral(typeTok, type, value);
        const micros = type === 'TIMESTAMP_NTZ' ? parseTimestamp(withoutZone(value)) : parseTimestamp(value, parsingZone());
        if (micros === null) throw invalid();
        return literal(micros, type === 'TIMESTAMP_NTZ' ? TIMESTAMP_NTZ : TIMESTAMP);
      }
      case 'X': {
        const hex = value.length % 2 === 0 ? value : `0${value}`;
        if (!/^[0-9A-Fa-f]*$/.test(hex)) throw invalid();
        const bytes = new Uint8Array(hex.length / 2);
        for (let k = 0; k < bytes.length; k++) bytes[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
        return literal(bytes, BINARY);
      }
      default:
        throw new ParseException(
          `[UNSUPPORTED_TYPED_LITERAL] Literals of the type "${type}" are not supported. Supported types are "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP", "INTERVAL", "X".(line 1, pos ${typeTok.pos})\n\n== SQL ==\n${this.src}\n${' '.repeat(typeTok.pos)}^^^\n`,
          { code: 'UNSUPPORTED_TYPED_LITERAL', position: typeTok.pos },
        );
    }
  }

  /** `DATE 'today'` and its kin read Spark's wall clock when the query is parsed; the engine reads none. */
  private wallClockLiteral(typeTok: Token, type: string, value: string): ParseException {
    return new ParseException(
      `The typed literal ${type} '${value}' reads the wall clock when the query is parsed, which Streamlab's engine never reads: use current_date() or current_timestamp(), the time the micro-batch started.(line 1, pos ${typeTok.pos})\n\n== SQL ==\n${this.src}\n${' '.repeat(typeTok.pos)}^^^\n`,
      { code: 'UNSUPPORTED_TYPED_LITERAL', position: typeTok.pos },
    );
  }

  /**
   * The text of an interval literal after `INTERVAL`, as the words `parseInterval` reads: a string
   * holding the whole interval (`'3 days'`), a string and its unit (`'3' DAY`), a string in a
   * unit-to-unit form (`'1 02:00:00' DAY TO SECOND`, `'1-2' YEAR TO MONTH`), or value-unit pairs
   * whose values are numbers or strings (`3 DAYS 2 HOURS`, `'3' DAY '2' HOUR`).
   */
  private intervalText(): string {
    const unitAt = (k: number) => this.toks[k].kind === 'ident' && INTERVAL_UNIT.test(this.toks[k].text);
    if (this.t.kind === 'str' && !unitAt(this.i + 1)) {
      const text = this.t.text;
      this.i++;
      return text;
    }
    if (this.t.kind === 'str' && this.kw('to', 2)) {
      const value = this.t;
      const from = this.toks[this.i + 1].text.toLowerCase();
      this.i += 3;
      const toTok = this.t;
      if (toTok.kind !== 'ident') throw this.error('expected an interval unit');
      this.i++;
      const text = unitToUnitText(value.text, from, toTok.text.toLowerCase());
      if (text === null) {
        throw new ParseException(
          `[INVALID_INTERVAL_FORMAT.UNSUPPORTED_FROM_TO_EXPRESSION] Error parsing interval from-to string '${value.text}' from ${from.toUpperCase()} to ${toTok.text.toUpperCase()}.(line 1, pos ${value.pos})\n\n== SQL ==\n${this.src}\n${' '.repeat(value.pos)}^^^\n`,
          { code: 'INVALID_INTERVAL_FORMAT', position: value.pos },
        );
      }
      return text;
    }
    const parts: string[] = [];
    for (;;) {
      let sign = '';
      if ((this.op('-') || this.op('+')) && (this.toks[this.i + 1].kind === 'num' || this.toks[this.i + 1].kind === 'str')) {
        sign = this.t.text === '-' ? '-' : '';
        this.i++;
      }
      if ((this.t.kind !== 'num' && this.t.kind !== 'str') || !unitAt(this.i + 1)) {
        if (sign !== '' || parts.length === 0) throw this.error('expected an interval value and unit');
        break;
      }
      const v = this.t.text.trim();
      parts.push(`${sign === '-' ? (v.startsWith('-') ? v.slice(1) : `-${v}`) : v} ${this.toks[this.i + 1].text}`);
      this.i += 2;
      if (this.t.kind !== 'num' && this.t.kind !== 'str' && !this.op('-') && !this.op('+')) break;
      if ((this.op('-') || this.op('+')) && !unitAt(this.i + 2)) break;
    }
    return parts.join(' ');
  }

  protected error(detail: string): Error {
    return syntaxError(this.src, this.t.pos, detail);
  }

  parseNamed(): Expr {
    if (this.op('*') && this.toks[this.i + 1].kind === 'eof') {
      this.i++;
      return node({ kind: 'star' });
    }
    const out = this.namedExpr(RESERVED_AFTER_EXPR);
    this.end();
    return out;
  }

  /** One expression and its alias, if any; a word in `reserved` is never read as an implicit alias. */
  protected namedExpr(reserved: ReadonlySet<string>): Expr {
    const e = this.expr();
    let out = e;
    if (this.eatKw('as')) {
      if (this.op('(')) {
        // `AS (a, b)`: the names of a generator's columns.
        this.i++;
        const names = [this.identifier()];
        while (this.op(',')) {
          this.i++;
          names.push(this.identifier());
        }
        this.expectOp(')');
        out = node({ kind: 'alias', expr: e, name: names[0], names });
      } else out = node({ kind: 'alias', expr: e, name: this.identifier() });
    } else if (this.t.kind === 'ident' && !reserved.has(this.t.text.toLowerCase())) {
      out = node({ kind: 'alias', expr: e, name: this.identifier() });
    } else if (this.t.kind === 'qident') {
      out = node({ kind: 'alias', expr: e, name: this.identifier() });
    }
    return out;
  }

  parseOnly(): Expr {
    const e = this.expr();
    this.end();
    return e;
  }

  parseSortList(): Expr[] {
    const out = this.sortList();
    this.end();
    return out;
  }

  /** `expr [ASC | DESC] [NULLS FIRST | NULLS LAST]`, comma-separated. */
  protected sortList(): Expr[] {
    const out: Expr[] = [];
    do {
      const e = this.expr();
      let desc = false;
      if (this.eatKw('desc')) desc = true;
      else this.eatKw('asc');
      let nullsFirst = !desc;
      if (this.eatKw('nulls')) {
        if (this.eatKw('first')) nullsFirst = true;
        else if (this.eatKw('last')) nullsFirst = false;
        else throw this.error('expected FIRST or LAST');
      }
      out.push(node({ kind: 'sort', expr: e, desc, nullsFirst }));
    } while (this.eatOp(','));
    return out;
  }

  protected end(): void {
    if (this.t.kind !== 'eof') throw this.error('extra input');
  }

  protected identifier(): string {
    const tok = this.t;
    if (tok.kind === 'ident' || tok.kind === 'qident') {
      this.i++;
      return tok.text;
    }
    throw this.error('expected an identifier');
  }

  expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    let l = this.and();
    while (this.eatKw('or')) l = bin('or', l, this.and());
    return l;
  }

  private and(): Expr {
    let l = this.not();
    while (this.eatKw('and')) l = bin('and', l, this.not());
    return l;
  }

  private not(): Expr {
    if (this.eatKw('not') || this.eatOp('!')) return node({ kind: 'not', expr: this.not() });
    return this.predicate();
  }

  private predicate(): Expr {
    const l = this.bitOr();
    const cmp: Record<string, BinaryOp> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '<=>': '<=>' };
    if (this.t.kind === 'op' && cmp[this.t.text]) {
      const op = cmp[this.t.text];
      this.i++;
      return bin(op, l, this.bitOr());
    }
    if (this.eatKw('is')) {
      const negated = this.eatKw('not');
      if (this.eatKw('null')) return node({ kind: 'isnull', expr: l, negated });
      if (this.eatKw('distinct')) {
        this.expectKw('from');
        const same = bin('<=>', l, this.bitOr());
        return negated ? same : node({ kind: 'not', expr: same });
      }
      if (this.eatKw('true')) return negated ? node({ kind: 'not', expr: bin('<=>', l, literal(true)) }) : bin('<=>', l, literal(true));
      if (this.eatKw('false')) return negated ? node({ kind: 'not', expr: bin('<=>', l, literal(false)) }) : bin('<=>', l, literal(false));
      throw this.error('expected NULL');
    }
    const negated = this.kw('not') && (this.kw('in', 1) || this.kw('like', 1) || this.kw('between', 1) || this.kw('rlike', 1) || this.kw('regexp', 1) || this.kw('ilike', 1));
    if (negated) this.i++;
    if (this.eatKw('in')) {
      this.expectOp('(');
      const list: Expr[] = [this.expr()];
      while (this.eatOp(',')) list.push(this.expr());
      this.expectOp(')');
      return node({ kind: 'in', expr: l, list, negated });
    }
    if (this.eatKw('like')) return node({ kind: 'like', expr: l, pattern: this.bitOr(), negated });
    if (this.eatKw('ilike')) {
      const e = call('ilike', [l, this.bitOr()]);
      return negated ? node({ kind: 'not', expr: e }) : e;
    }
    if (this.eatKw('rlike') || this.eatKw('regexp')) {
      const e = call('rlike', [l, this.bitOr()]);
      return negated ? node({ kind: 'not', expr: e }) : e;
    }
    if (this.eatKw('between')) {
      const low = this.bitOr();
      this.expectKw('and');
      const high = this.bitOr();
      return node({ kind: 'between', expr: l, low, high, negated });
    }
    if (negated) throw this.error('expected IN, LIKE or BETWEEN');
    return l;
  }

  // Spark's precedence below comparisons: `|`, then `^`, then `&`, then `+ - ||` (one level).
  private bitOr(): Expr {
    let l = this.bitXor();
    while (this.eatOp('|')) l = bin('|', l, this.bitXor());
    return l;
  }

  private bitXor(): Expr {
    let l = this.bitAnd();
    while (this.eatOp('^')) l = bin('^', l, this.bitAnd());
    return l;
  }

  private bitAnd(): Expr {
    let l = this.additive();
    while (this.eatOp('&')) l = bin('&', l, this.additive());
    return l;
  }

  /** `a || b` is Spark's `concat(a, b)` (strings or arrays), named so. */
  private additive(): Expr {
    let l = this.multiplicative();
    for (;;) {
      if (this.eatOp('+')) l = bin('+', l, this.multiplicative());
      else if (this.eatOp('-')) l = bin('-', l, this.multiplicative());
      else if (this.eatOp('||')) l = call('concat', [l, this.multiplicative()]);
      else return l;
    }
  }

  private multiplicative(): Expr {
    let l = this.unary();
    for (;;) {
      if (this.eatOp('*')) l = bin('*', l, this.unary());
      else if (this.eatOp('/')) l = bin('/', l, this.unary());
      else if (this.eatOp('%')) l = bin('%', l, this.unary());
      else if (this.eatKw('div')) l = bin('div', l, this.unary());
      else return l;
    }
  }

  private unary(): Expr {
    if (this.eatOp('-')) {
      const e = this.unary();
      if (e.kind === 'lit' && typeof e.value === 'number') return literal(-e.value, e.type);
      return node({ kind: 'neg', expr: e });
    }
    if (this.eatOp('+')) return call('positive', [this.unary()]);
    if (this.eatOp('~')) return call('bitwise_not', [this.unary()]);
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      if (this.op('.') && (this.toks[this.i + 1].kind === 'ident' || this.toks[this.i + 1].kind === 'qident')) {
        this.i++;
        const name = this.identifier();
        e = e.kind === 'col' ? colRef(`${e.name}.${name}`) : node({ kind: 'field', expr: e, name });
      } else if (this.eatOp('[')) {
        const idx = this.expr();
        this.expectOp(']');
        e = node({ kind: 'index', expr: e, index: idx });
      } else if (this.eatOp('::')) {
        e = node({ kind: 'cast', expr: e, to: this.dataType() });
      } else return e;
    }
  }

  private dataType(): DataType {
    const start = this.t.pos;
    // Consume tokens of a type: ident [< ... >] [( ... )]
    this.identifier();
    let depth = 0;
    while (this.t.kind !== 'eof') {
      if (this.op('<') || this.op('(')) depth++;
      else if (this.op('>') || this.op(')')) {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          this.i++;
          break;
        }
      } else if (depth === 0) break;
      this.i++;
    }
    const end = this.t.kind === 'eof' ? this.src.length : this.t.pos;
    const text = this.src.slice(start, end).trim();
    try {
      return parseDataType(text);
    } catch {
      throw syntaxError(this.src, start, `unsupported data type '${text}'`);
    }
  }

  private primary(): Expr {
    const tok = this.t;
    if (tok.kind === 'num') {
      this.i++;
      return numberLiteral(tok.text);
    }
    if (tok.kind === 'str') {
      this.i++;
      return literal(tok.text, STRING);
    }
    if (tok.kind === 'op' && tok.text === '(') {
      this.i++;
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (tok.kind === 'qident') {
      this.i++;
      return this.afterName(tok.text);
    }
    if (tok.kind === 'ident') {
      const w = tok.text.toLowerCase();
      if (w === 'true' || w === 'false') {
        this.i++;
        return literal(w === 'true', BOOLEAN);
      }
      if (w === 'null') {
        this.i++;
        return literal(null, NULL);
      }
      if ((w === 'cast' || w === 'try_cast') && this.toks[this.i + 1].text === '(') {
        this.i += 2;
        const e = this.expr();
        this.expectKw('as');
        const to = this.dataType();
        this.expectOp(')');
        return node(w === 'try_cast' ? { kind: 'cast', expr: e, to, try: true } : { kind: 'cast', expr: e, to });
      }
      if (w === 'case') {
        this.i++;
        let subject: Expr | undefined;
        if (!this.kw('when')) subject = this.expr();
        const branches: [Expr, Expr][] = [];
        while (this.eatKw('when')) {
          const c = this.expr();
          this.expectKw('then');
          const v = this.expr();
          branches.push([subject ? bin('=', subject, c) : c, v]);
        }
        if (branches.length === 0) throw this.error('expected WHEN');
        const otherwise = this.eatKw('else') ? this.expr() : undefined;
        this.expectKw('end');
        return node({ kind: 'case', branches, otherwise });
      }
      if (w === 'interval' && (this.toks[this.i + 1].kind === 'str' || this.toks[this.i + 1].kind === 'num' || this.toks[this.i + 1].text === '-' || this.toks[this.i + 1].text === '+')) {
        const start = tok.pos;
        this.i++;
        const text = this.intervalText();
        return this.intervalLiteral(text, start, this.src.slice(start, this.t.pos).trim());
      }
      if (this.toks[this.i + 1].kind === 'str' && !RESERVED_AFTER_EXPR.has(w)) return this.typedLiteral();
      if (RESERVED_AFTER_EXPR.has(w) && w !== 'end') throw this.error(`unexpected ${tok.text.toUpperCase()}`);
      this.i++;
      return this.afterName(tok.text);
    }
    if (tok.kind === 'eof') throw this.error('unexpected end of input');
    throw this.error(`unexpected '${tok.text}'`);
  }

  /** A function argument: a lambda (`x -> …`, `(acc, x) -> …`) or an expression. */
  private lambdaOrExpr(): Expr {
    const isName = (k: number) => this.toks[k]?.kind === 'ident' || this.toks[k]?.kind === 'qident';
    let params: string[] | undefined;
    if (isName(this.i) && this.toks[this.i + 1]?.text === '->') {
      params = [this.t.text];
      this.i += 2;
    } else if (this.op('(')) {
      let k = this.i + 1;
      const names: string[] = [];
      while (isName(k)) {
        names.push(this.toks[k].text);
        if (this.toks[k + 1]?.text === ',') k += 2;
        else {
          k++;
          break;
        }
      }
      if (names.length > 0 && this.toks[k]?.text === ')' && this.toks[k + 1]?.text === '->') {
        params = names;
        this.i = k + 2;
      }
    }
    if (!params) return this.expr();
    this.lambdaScopes.push(params.map((p) => p.toLowerCase()));
    try {
      return node({ kind: 'lambda', params, body: this.expr() });
    } finally {
      this.lambdaScopes.pop();
    }
  }

  private afterName(name: string): Expr {
    if (this.eatOp('(')) {
      const args: Expr[] = [];
      const distinct = this.eatKw('distinct');
      if (!this.op(')')) {
        do {
          args.push(this.op('*') && (this.toks[this.i + 1].text === ')' || this.toks[this.i + 1].text === ',') ? (this.i++, node({ kind: 'star' } as Expr)) : this.lambdaOrExpr());
        } while (this.eatOp(','));
      }
      this.expectOp(')');
      const schema = name.toLowerCase() === 'from_json' ? args[1] : undefined;
      if (schema?.kind === 'lit' && typeof schema.value === 'string') this.schemas.push(schema.value);
      const c = call(name, args, distinct);
      // An aggregate's FILTER (WHERE cond): only the rows where cond is true reach it.
      if (this.t.kind === 'ident' && this.t.text.toLowerCase() === 'filter' && this.toks[this.i + 1].text === '(') {
        this.i += 2;
        this.expectKw('where');
        const filter = this.expr();
        this.expectOp(')');
        return node({ ...(c as Extract<Expr, { kind: 'call' }>), filter });
      }
      return c;
    }
    if (this.op('.') && this.toks[this.i + 1].kind === 'op' && this.toks[this.i + 1].text === '*') {
      this.i += 2;
      return node({ kind: 'star', qualifier: name });
    }
    const bare = name.replace(/^`|`$/g, '').toLowerCase();
    if (this.lambdaScopes.some((s) => s.includes(bare))) return node({ kind: 'lambdavar', name: bare });
    return colRef(name);
  }
}

function bin(op: BinaryOp, left: Expr, right: Expr): Expr {
  return node({ kind: 'binary', op, left, right });
}

/** Words that name a moment of the wall clock in Spark's typed literals (`'epoch'` is fixed and read). */
const SPECIAL_DATES = new Set(['now', 'today', 'yesterday', 'tomorrow']);

/** An interval unit word, singular or plural. */
const INTERVAL_UNIT = /^(year|month|week|day|hour|minute|second|millisecond|microsecond)s?$/i;

/** A timestamp's text without a zone at its end (`Z`, `+01:00`, `UTC`): TIMESTAMP_NTZ ignores it. */
function withoutZone(text: string): string {
  return text.trim().replace(/(?<=\d)\s*(?:[zZ]|[+-]\d{1,2}(?::?\d{2}){0,2}|(?:UTC|GMT|UT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z]+\/[A-Za-z_]+)$/, '');
}

/** The shape of the value of each `FROM TO` interval form, and the units its numbers are. */
const UNIT_TO_UNIT: Record<string, { pattern: RegExp; units: string[] }> = {
  'year-month': { pattern: /^(\d+)-(\d+)$/, units: ['years', 'months'] },
  'day-hour': { pattern: /^(\d+) (\d+)$/, units: ['days', 'hours'] },
  'day-minute': { pattern: /^(\d+) (\d+):(\d+)$/, units: ['days', 'hours', 'minutes'] },
  'day-second': { pattern: /^(\d+) (\d+):(\d+):(\d+(?:\.\d{1,9})?)$/, units: ['days', 'hours', 'minutes', 'seconds'] },
  'hour-minute': { pattern: /^(\d+):(\d+)$/, units: ['hours', 'minutes'] },
  'hour-second': { pattern: /^(\d+):(\d+):(\d+(?:\.\d{1,9})?)$/, units: ['hours', 'minutes', 'seconds'] },
  'minute-second': { pattern: /^(\d+):(\d+(?:\.\d{1,9})?)$/, units: ['minutes', 'seconds'] },
};

/** `'1 02:03:04'` from DAY to SECOND as `1 days 2 hours 3 minutes 4 seconds` (a leading sign negates all), or null. */
function unitToUnitText(value: string, from: string, to: string): string | null {
  const form = UNIT_TO_UNIT[`${from}-${to}`];
  const m = /^([+-]?)(.*)$/.exec(value.trim())!;
  const fields = form?.pattern.exec(m[2]!);
  if (!form || !fields) return null;
  const sign = m[1] === '-' ? '-' : '';
  return form.units.map((u, k) => `${sign}${fields[k + 1]} ${u}`).join(' ');
}

function numberLiteral(text: string): Expr {
  const suffix = /[LlDdSsYy]$/.exec(text)?.[0]?.toUpperCase();
  if (text.endsWith('BD')) return literal(Number(text.slice(0, -2)), DECIMAL);
  const body = suffix ? text.slice(0, -1) : text;
  const n = Number(body);
  if (suffix === 'L') return literal(n, LONG);
  if (suffix === 'D') return literal(n, DOUBLE);
  if (suffix === 'S' || suffix === 'Y') return literal(n, INT);
  if (/[.eE]/.test(body)) return literal(n, /[eE]/.test(body) ? DOUBLE : DECIMAL);
  return literal(n, Number.isSafeInteger(n) && Math.abs(n) <= 2147483647 ? INT : LONG);
}

/**
 * Parses with a fresh parser, then checks the schema strings the text holds (`from_json(value, 'a INT')`):
 * Spark parses those where the expression is written, so a wrong one fails at the learner's line. Checked
 * here, after the descent, so the learner's frame is still within the stack trace's limit.
 */
function parsed<T>(sql: string, parse: (p: Parser) => T): T {
  const parser = new Parser(sql);
  const result = parse(parser);
  for (const schema of parser.schemas) parseDataType(schema);
  return result;
}

/** Parses one SQL expression, optionally followed by `[AS] alias` (the `selectExpr` form). */
export function parseNamedExpression(sql: string): Expr {
  return parsed(sql, (p) => p.parseNamed());
}

/** Parses one SQL expression with nothing after it (the `filter`/`expr` form). */
export function parseExpression(sql: string): Expr {
  return parsed(sql, (p) => p.parseNamed());
}

/** Parses a sort list such as `count DESC, window.start`. */
export function parseSortList(sql: string): Expr[] {
  return parsed(sql, (p) => p.parseSortList());
}

/** Parses exactly one expression and rejects a trailing alias. */
export function parseBareExpression(sql: string): Expr {
  return parsed(sql, (p) => p.parseOnly());
}
