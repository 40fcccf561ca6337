/** Spark's formatting as one module: what both the engine and the workbench print. */
import { describe, expect, it } from 'vitest';
import {
  consoleBatch, displayWidth, formatDate, formatTimestamp, javaDouble, javaFloat, parseDdl, parseTypeString, progressEventTime,
  showString, TypeStringError,
} from '../../../runtime/src/format/index.js';
import { parseDataType } from '../../../runtime/src/engine/types.js';
import { AnalysisException } from '../../../runtime/src/engine/errors.js';

describe('numbers as Java prints them', () => {
  it('doubles: a decimal point always, scientific outside [1e-3, 1e7)', () => {
    expect([1, 0.1, 21.5, 1e7, 1.5e21, 1e-4, -0, NaN, -Infinity].map(javaDouble)).toEqual(
      ['1.0', '0.1', '21.5', '1.0E7', '1.5E21', '1.0E-4', '-0.0', 'NaN', '-Infinity'],
    );
  });

  it('floats: the shortest decimal of the float32', () => {
    expect([Math.fround(0.1), Math.fround(21.7), Math.fround(1e8)].map(javaFloat)).toEqual(['0.1', '21.7', '1.0E8']);
    expect(javaDouble(Math.fround(0.1))).toBe('0.10000000149011612');
  });
});

describe('times as Spark prints them', () => {
  it('timestamps in UTC with the fraction only when non-zero, dates, and progress ISO', () => {
    expect(formatTimestamp(Date.UTC(2016, 2, 27, 9) * 1000 + 400_000)).toBe('2016-03-27 09:00:00.4');
    expect(formatTimestamp(1_000_001)).toBe('1970-01-01 00:00:01.000001');
    expect(formatTimestamp(-1)).toBe('1969-12-31 23:59:59.999999');
    // One second after another, and back: each keeps its own text.
    const second = Date.UTC(2024, 0, 1, 23, 59, 59) * 1000;
    expect([second, second + 250_000, second + 1_000_000, second + 1_500_000, second + 999_999, -1].map((us) => formatTimestamp(us))).toEqual([
      '2024-01-01 23:59:59', '2024-01-01 23:59:59.25', '2024-01-02 00:00:00', '2024-01-02 00:00:00.5', '2024-01-01 23:59:59.999999', '1969-12-31 23:59:59.999999',
    ]);
    expect(formatTimestamp(second, { offsetSecondsAt: () => 3600 })).toBe('2024-01-02 00:59:59');
    expect(formatTimestamp(second)).toBe('2024-01-01 23:59:59');
    expect(formatDate(19_723)).toBe('2024-01-01');
    expect(progressEventTime({ minMs: 1000, maxMs: 2500, avgMs: 1750 }, 0)).toEqual({
      avg: '1970-01-01T00:00:01.750Z', max: '1970-01-01T00:00:02.500Z', min: '1970-01-01T00:00:01.000Z', watermark: '1970-01-01T00:00:00.000Z',
    });
    expect(progressEventTime(null, 8000)).toEqual({ watermark: '1970-01-01T00:00:08.000Z' });
  });
});

describe('showString', () => {
  it('lays out cells as Dataset.showString, right-aligned and cut at 20 characters', () => {
    expect(showString(['word', 'count'], [['kafka', '2'], ['a rather long value here', '1']])).toBe(
      '+--------------------+-----+\n' +
      '|                word|count|\n' +
      '+--------------------+-----+\n' +
      '|               kafka|    2|\n' +
      '|a rather long val...|    1|\n' +
      '+--------------------+-----+\n',
    );
  });

  it('cuts by characters but measures width in half-width cells, as Spark does', () => {
    // 15 wide characters: 15 characters (not cut at 20), 30 cells wide.
    const wide = '東'.repeat(15);
    expect(displayWidth(wide)).toBe(30);
    expect(showString(['c'], [[wide]]).split('\n')[3]).toBe(`|${wide}|`);
    expect(showString(['c'], [['東'.repeat(21)]]).split('\n')[3]).toBe(`|${'東'.repeat(17)}...|`);
  });

  it('left-aligns without truncation, notes the rows not shown, and frames a console batch', () => {
    expect(showString(['v'], [['1'], ['2']], { numRows: 1, truncate: false })).toBe('+---+\n|v  |\n+---+\n|1  |\n+---+\nonly showing top 1 row\n');
    expect(showString(['v'], [['1']], { numRows: 1, totalRows: 3 })).toBe('+---+\n|  v|\n+---+\n|  1|\n+---+\nonly showing top 1 row\n');
    expect(consoleBatch(7, '+---+\n')).toBe('-------------------------------------------\nBatch: 7\n-------------------------------------------\n+---+\n\n');
  });
});

describe('type strings', () => {
  it('reads simple strings and DDL into plain types', () => {
    expect(parseTypeString('struct<start:timestamp,end:timestamp>')).toEqual({
      kind: 'struct', fields: [{ name: 'start', type: { kind: 'atomic', name: 'timestamp' }, nullable: true }, { name: 'end', type: { kind: 'atomic', name: 'timestamp' }, nullable: true }],
    });
    expect(parseTypeString('map<string,array<DECIMAL(10,2)>>')).toEqual({
      kind: 'map', key: { kind: 'atomic', name: 'string' }, value: { kind: 'array', element: { kind: 'atomic', name: 'decimal' } },
    });
    expect(parseDdl("node_name STRING NOT NULL COMMENT 'the sensor', `t s` TIMESTAMP")).toEqual({
      kind: 'struct', fields: [{ name: 'node_name', type: { kind: 'atomic', name: 'string' }, nullable: false }, { name: 't s', type: { kind: 'atomic', name: 'timestamp' }, nullable: true }],
    });
    expect(parseTypeString('vector')).toEqual({ kind: 'atomic', name: 'vector' });
  });

  it('fails with Spark\'s error classes and positions, which the engine raises as AnalysisException', () => {
    expect(() => parseTypeString('array<int')).toThrow(new TypeStringError(
      "[PARSE_SYNTAX_ERROR] Syntax error at or near '<EOF>' (position 10): expected '>' in DDL \"array<int\".", 'PARSE_SYNTAX_ERROR', 9,
    ));
    expect(() => parseTypeString('thing', { isAtomic: (n) => n === 'int' })).toThrow('[UNSUPPORTED_DATATYPE] Unsupported data type "THING".');
    try {
      parseDataType('a INT, b VARCHAR2');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AnalysisException);
      expect([(e as AnalysisException).code, (e as AnalysisException).position]).toEqual(['UNSUPPORTED_DATATYPE', 17]);
    }
    expect(() => parseDataType('constructor')).toThrow('[UNSUPPORTED_DATATYPE] Unsupported data type "CONSTRUCTOR".');
  });
});
