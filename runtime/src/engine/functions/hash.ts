/**
 * Hash and digest functions (Spark's hashExpressions): Murmur3 `hash` with seed 42, CRC-32 and the
 * hex digests, computed in the engine (it imports nothing from Node).
 */
import { md5, sha1, sha2 } from '../digests.js';
import { crc32, hashValue } from '../spark-hash.js';
import { INT, LONG, STRING } from '../types.js';
import { col, cols, defineFunction, val, type FunctionSpec } from './function-spec.js';

export const hashFunctions: readonly FunctionSpec[] = [
  defineFunction({
    name: 'hash', group: 'hash', kind: 'scalar', params: [cols('cols')],
    doc: "Spark's Murmur3 hash (seed 42) of the columns, as an int.", example: { sql: "hash('Spark')", result: '228093765' },
    compile: (c) => {
      // Each argument is folded into the last (nulls skipped), as Spark does.
      const cs = c.args.map((_, i) => c.raw(i));
      return c.make(INT, (row) => {
        let h = 42;
        for (const x of cs) h = hashValue(x.eval(row), x.type, h);
        return h;
      }, { nullable: false });
    },
  }),
  defineFunction({
    name: 'crc32', group: 'hash', kind: 'scalar', params: [col('col', 'binary')], doc: 'The CRC-32 checksum of the bytes (of a string\'s UTF-8 bytes).',
    compile: (c) => c.strict1(LONG, c.arg(0), (b: Uint8Array) => crc32(b)),
  }),
  defineFunction({
    name: 'md5', group: 'hash', kind: 'scalar', params: [col('col', 'binary')], doc: 'The MD5 digest as 32 hex digits.',
    example: { sql: "md5('Spark')", result: '8cde774d6f7333752ed72cacddb05126' },
    compile: (c) => c.strict1(STRING, c.arg(0), (b: Uint8Array) => md5(b)),
  }),
  defineFunction({
    name: 'sha1', aliases: ['sha'], group: 'hash', kind: 'scalar', params: [col('col', 'binary')], doc: 'The SHA-1 digest as 40 hex digits.',
    compile: (c) => c.strict1(STRING, c.arg(0), (b: Uint8Array) => sha1(b)),
  }),
  defineFunction({
    name: 'sha2', group: 'hash', kind: 'scalar', params: [col('col', 'binary'), val('numBits', 'number', 'int')],
    doc: 'The SHA-2 digest in hex; `numBits` 224 or 256 (0 means 256). Other lengths give NULL here.',
    compile: (c) => {
      const bits = Number(c.literal(1));
      // Spark: 0 means 256; 384 and 512 are not offered here; any other length gives null.
      const n = bits === 0 ? 256 : bits;
      if (n !== 224 && n !== 256) return c.make(STRING, () => null);
      return c.strict1(STRING, c.arg(0), (b: Uint8Array) => sha2(b, n));
    },
  }),
];
