/**
 * Spark's type strings, parsed into plain data: a type's `simpleString` (`bigint`,
 * `struct<start:timestamp,end:timestamp>`, `array<int>`, `map<string,double>`) and a DDL schema
 * (`node_name STRING, temperature DOUBLE NOT NULL`). The engine turns the result into its data types;
 * the workbench reads its columns' types with it.
 *
 *   ddl     := type | field (',' field)*
 *   field   := ident ':'? type ('NOT' 'NULL')? ('COMMENT' quoted)?
 *   type    := 'array' '<' type '>' | 'map' '<' type ',' type '>'
 *            | 'struct' '<' (ident ':'? type (',' ident ':'? type)*)? '>' | ident ('(' … ')')?
 *   ident   := [A-Za-z_][A-Za-z0-9_]* | '`' … '`'
 *
 * Names are case-insensitive (atomic names come back lower case); `decimal(10,2)`'s arguments are read
 * and dropped.
 */

/** A parsed Spark type. */
export type SparkType =
  | { readonly kind: 'atomic'; readonly name: string }
  | { readonly kind: 'struct'; readonly fields: readonly SparkField[] }
  | { readonly kind: 'array'; readonly element: SparkType }
  | { readonly kind: 'map'; readonly key: SparkType; readonly value: SparkType };

/** A field of a struct type or of a DDL schema. */
export interface SparkField {
  readonly name: string;
  readonly type: SparkType;
  readonly nullable: boolean;
}

/** What a type string got wrong, with Spark's error class and the position (from 0). */
export class TypeStringError extends Error {
  constructor(message: string, readonly code: 'PARSE_SYNTAX_ERROR' | 'UNSUPPORTED_DATATYPE', readonly position: number) {
    super(message);
    this.name = 'TypeStringError';
  }
}

/** Options of the parsers. */
export interface TypeStringOptions {
  /** Whether a lower-case atomic name is a type; unknown names fail with UNSUPPORTED_DATATYPE. Any name when absent. */
  readonly isAtomic?: (name: string) => boolean;
}

/** Parses one type (`int`, `struct<a:int,b:array<string>>`). */
export function parseTypeString(text: string, options: TypeStringOptions = {}): SparkType {
  const p = new Parser(text, options);
  const t = p.type();
  p.end();
  return t;
}

/** Parses a DDL schema (`a INT, b STRING`, read as a struct) or a single type. */
export function parseDdl(text: string, options: TypeStringOptions = {}): SparkType {
  return new Parser(text, options).ddl();
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string, private readonly options: TypeStringOptions) {}

  ddl(): SparkType {
    this.ws();
    // A field list `name type, ...` vs a single type: a field list has two words before `,` or the end.
    const save = this.pos;
    const first = this.ident();
    this.ws();
    const next = this.text[this.pos];
    if (first && this.pos < this.text.length && next !== '<' && next !== '(' && next !== ',') {
      this.pos = save;
      const fields: SparkField[] = [];
      for (;;) {
        const name = this.ident();
        if (!name) this.fail('a column name');
        this.ws();
        if (this.text[this.pos] === ':') this.pos++;
        const type = this.type();
        this.ws();
        const notNull = /^not\s+null/i.exec(this.rest());
        if (notNull) {
          this.pos += notNull[0].length;
          this.ws();
        }
        const comment = /^comment\s+'(?:[^'\\]|\\.)*'/i.exec(this.rest());
        if (comment) {
          this.pos += comment[0].length;
          this.ws();
        }
        fields.push({ name, type, nullable: !notNull });
        if (this.text[this.pos] !== ',') break;
        this.pos++;
      }
      this.end();
      return { kind: 'struct', fields };
    }
    this.pos = save;
    const t = this.type();
    this.end();
    return t;
  }

  type(): SparkType {
    const name = this.ident();
    if (!name) this.fail('a data type');
    const lower = name.toLowerCase();
    this.ws();
    if (lower === 'array') {
      this.expect('<');
      const element = this.type();
      this.expect('>');
      return { kind: 'array', element };
    }
    if (lower === 'map') {
      this.expect('<');
      const key = this.type();
      this.expect(',');
      const value = this.type();
      this.expect('>');
      return { kind: 'map', key, value };
    }
    if (lower === 'struct') {
      this.expect('<');
      const fields: SparkField[] = [];
      this.ws();
      while (this.text[this.pos] !== '>') {
        const fieldName = this.ident();
        if (!fieldName) this.fail('a field name');
        this.ws();
        if (this.text[this.pos] === ':') this.pos++;
        fields.push({ name: fieldName, type: this.type(), nullable: true });
        this.ws();
        if (this.text[this.pos] !== ',') break;
        this.pos++;
      }
      this.expect('>');
      return { kind: 'struct', fields };
    }
    if (this.options.isAtomic && !this.options.isAtomic(lower)) {
      throw new TypeStringError(`[UNSUPPORTED_DATATYPE] Unsupported data type "${name.toUpperCase()}".`, 'UNSUPPORTED_DATATYPE', this.pos);
    }
    if (this.text[this.pos] === '(') {
      const close = this.text.indexOf(')', this.pos);
      if (close < 0) this.fail("')'");
      this.pos = close + 1;
    }
    return { kind: 'atomic', name: lower };
  }

  end(): void {
    this.ws();
    if (this.pos < this.text.length) this.fail('end of input');
  }

  private rest(): string {
    return this.text.slice(this.pos);
  }

  private ident(): string {
    this.ws();
    if (this.text[this.pos] === '`') {
      const end = this.text.indexOf('`', this.pos + 1);
      if (end < 0) this.fail('a closing backquote');
      const s = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return s;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.rest());
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  private ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private expect(ch: string): void {
    this.ws();
    if (this.text[this.pos] !== ch) this.fail(`'${ch}'`);
    this.pos++;
  }

  private fail(what: string): never {
    const near = this.text.slice(this.pos, this.pos + 10) || '<EOF>';
    throw new TypeStringError(
      `[PARSE_SYNTAX_ERROR] Syntax error at or near '${near}' (position ${this.pos + 1}): expected ${what} in DDL "${this.text}".`,
      'PARSE_SYNTAX_ERROR', this.pos,
    );
  }
}
