import { describe, expect, it } from 'vitest';
import { displayWidth } from '@streamlab/runtime/format';
import { formatConsoleBatch, formatShow } from './console-table.js';

const windowType = 'struct<start:timestamp,end:timestamp>';

describe('formatConsoleBatch', () => {
  it('prints ConsoleWriterSuite "microbatch - default" byte for byte', () => {
    const text = formatConsoleBatch(0, { schema: [{ name: 'value', type: 'int' }], rows: [[1], [1], [1]] });
    expect(text).toBe(
      '-------------------------------------------\n' +
        'Batch: 0\n' +
        '-------------------------------------------\n' +
        '+-----+\n|value|\n+-----+\n|    1|\n|    1|\n|    1|\n+-----+\n\n',
    );
  });

  it('prints an empty batch as header block plus two separators', () => {
    const text = formatConsoleBatch(2, { schema: [{ name: 'value', type: 'int' }], rows: [] });
    expect(text.split('\n').slice(1, 2)).toEqual(['Batch: 2']);
    expect(text.endsWith('+-----+\n|value|\n+-----+\n+-----+\n\n')).toBe(true);
  });

  it('truncates a window struct to 17 characters and right-aligns every cell', () => {
    const table = {
      schema: [{ name: 'window', type: windowType }, { name: 'count', type: 'bigint' }],
      rows: [
        [{ start: 10_000, end: 15_000 }, 5],
        [['1970-01-01T00:00:15Z', '1970-01-01T00:00:20Z'], 1],
      ],
    };
    expect(formatConsoleBatch(0, table)).toBe(
      '-------------------------------------------\nBatch: 0\n-------------------------------------------\n' +
        '+--------------------+-----+\n' +
        '|              window|count|\n' +
        '+--------------------+-----+\n' +
        '|{1970-01-01 00:00...|    5|\n' +
        '|{1970-01-01 00:00...|    1|\n' +
        '+--------------------+-----+\n\n',
    );
  });
});

describe('formatShow', () => {
  it('left-aligns and keeps whole cells when truncation is off', () => {
    const table = { schema: [{ name: 'window', type: windowType }, { name: 'avg', type: 'double' }], rows: [[{ start: 0, end: 10_000 }, 21]] };
    expect(formatShow(table, { truncate: 0 })).toBe(
      '+------------------------------------------+----+\n' +
        '|window                                    |avg |\n' +
        '+------------------------------------------+----+\n' +
        '|{1970-01-01 00:00:00, 1970-01-01 00:00:10}|21.0|\n' +
        '+------------------------------------------+----+\n',
    );
  });

  it('renders NULL, fractions of seconds, Java doubles and the row limit note', () => {
    const table = {
      schema: [{ name: 'ts', type: 'timestamp' }, { name: 'x', type: 'double' }, { name: 's', type: 'string' }],
      rows: [
        ['2016-03-27T09:00:00.715Z', 1e7, null],
        ['2016-03-27T09:00:00.400Z', 0.5, 'a'],
      ],
    };
    // Column widths come from the rows shown only, as in Dataset.getRows.
    expect(formatShow(table, { numRows: 1 })).toBe(
      '+--------------------+-----+----+\n' +
        '|                  ts|    x|   s|\n' +
        '+--------------------+-----+----+\n' +
        '|2016-03-27 09:00:...|1.0E7|NULL|\n' +
        '+--------------------+-----+----+\n' +
        'only showing top 1 row\n',
    );
    expect(formatShow(table, { truncate: 0 }).split('\n')[4]).toBe('|2016-03-27 09:00:00.4  |0.5  |a   |');
  });

  it('counts wide characters as two display cells', () => {
    expect(displayWidth('東京')).toBe(4);
    const text = formatShow({ schema: [{ name: 'c', type: 'string' }], rows: [['東京'], ['ab']] });
    expect(text).toBe('+----+\n|   c|\n+----+\n|東京|\n|  ab|\n+----+\n');
  });
});
