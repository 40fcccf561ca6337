/** The SQL expression parser: precedence, literals, names, and error positions. */
import { describe, expect, it } from 'vitest';
import { exprSql } from '../../../runtime/src/engine/expressions/expr-names.js';
import { ParseException } from '../../../runtime/src/engine/errors.js';
import { parseBareExpression, parseNamedExpression } from '../../../runtime/src/engine/plans/sql-parser.js';

function sql(text: string): string {
  return exprSql(parseNamedExpression(text));
}

function parseError(text: string): ParseException {
  try {
    parseNamedExpression(text);
  } catch (e) {
    return e as ParseException;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('SQL expression parser', () => {
  it('binds * tighter than + and AND tighter than OR', () => {
    expect(sql('a + b * c')).toBe('(a + (b * c))');
    expect(sql('a OR b AND NOT c')).toBe('(a OR (b AND (NOT c)))');
    expect(sql('(a + b) * c')).toBe('((a + b) * c)');
  });

  it('parses CAST, dotted fields, function calls with *, CASE and IS NULL', () => {
    expect(sql('CAST(window.start AS LONG)')).toBe('CAST(window.start AS BIGINT)');
    expect(sql('count(*)')).toBe('count(1)');
    expect(sql("CASE WHEN x > 1 THEN 'big' ELSE 'small' END")).toBe('CASE WHEN (x > 1) THEN big ELSE small END');
    expect(sql('x IS NOT NULL')).toBe('(x IS NOT NULL)');
    expect(sql('x NOT IN (1, 2)')).toBe('(x NOT IN (1, 2))');
    expect(sql("explode(split(value, ' '))")).toBe('explode(split(value,  , -1))');
  });

  it('reads aliases with and without AS', () => {
    expect(parseNamedExpression('value AS v')).toMatchObject({ kind: 'alias', name: 'v' });
    expect(parseNamedExpression('value v')).toMatchObject({ kind: 'alias', name: 'v' });
    expect(parseNamedExpression('`odd name`')).toMatchObject({ kind: 'col', name: 'odd name' });
  });

  it('types numeric literals as Spark does', () => {
    expect(parseBareExpression('1')).toMatchObject({ kind: 'lit', value: 1, type: { name: 'int' } });
    expect(parseBareExpression('10000000000')).toMatchObject({ kind: 'lit', type: { name: 'bigint' } });
    expect(parseBareExpression('1L')).toMatchObject({ kind: 'lit', value: 1, type: { name: 'bigint' } });
    expect(parseBareExpression('2.5D')).toMatchObject({ kind: 'lit', value: 2.5, type: { name: 'double' } });
    expect(parseBareExpression('-3')).toMatchObject({ kind: 'lit', value: -3 });
  });

  it('points at the offending token', () => {
    const e = parseError('a + * b');
    expect(e.position).toBe(4);
    expect(e.code).toBe('PARSE_SYNTAX_ERROR');
    expect(e.message).toContain("Syntax error at or near '*'");
    expect(e.message).toContain('(line 1, pos 4)');
    expect(e.message).toContain('a + * b\n    ^^^');
  });

  it('reports an unterminated string at its opening quote and a missing parenthesis at the end', () => {
    expect(parseError("concat(a, 'x)").position).toBe(10);
    const e = parseError('CAST(a AS INT');
    expect(e.position).toBe(13);
    expect(e.message).toContain('end of input');
  });

  it('rejects input after a complete expression', () => {
    const e = parseError('a b c');
    expect(e.position).toBe(4);
    expect(e.message).toContain('extra input');
  });
});
