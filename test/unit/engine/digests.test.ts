/** md5, sha1, sha2, hex, bin and levenshtein: PySpark 3.5.7's answers, and the digests against node:crypto. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SparkSession } from 'streamlab';
import { md5, sha1, sha2 } from '../../../runtime/src/engine/digests.js';

const spark = SparkSession.builder.output(() => undefined).create();
const df = spark.createDataFrame([['ab', 7, -1], [null, null, null], ['ÄÖü'.repeat(30), 255, 0]], 's STRING, i INT, l BIGINT');
const values = (sql: string) => df.selectExpr(`${sql} AS v`).collect().map((r) => r.v);

describe('digest and number-text functions as PySpark 3.5.7 returns them', () => {
  it.each([
    ['md5(s)', ['187ef4436122d1cc2f40dc2b92f0eba0', null, md5(new TextEncoder().encode('ÄÖü'.repeat(30)))]],
    ['sha1(s)', ['da23614e02469a0d7c7bd1bdab5c9c474b1904dc', null, 'c122151cd0e728ec9797bf1c5548001d8a48e32a']],
    ['sha2(s, 256)', ['fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603', null, '71ad082e374941fef1a24e86d0b20712ecf082da1585ca1414255aff0d68627a']],
    ['sha2(s, 224)', ['db3cda86d4429a1d39c148989566b38f7bda0156296bd364ba2f878b', null, '2cd37f05cb50ae72dd45643bd3b3c911ef1ce93db071bc52676f2175']],
    ['sha2(s, 0)', ['fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603', null, '71ad082e374941fef1a24e86d0b20712ecf082da1585ca1414255aff0d68627a']],
    ['sha2(s, 100)', [null, null, null]],
    ['hex(s)', ['6162', null, 'C384C396C3BC'.repeat(30)]],
    ['hex(i)', ['7', null, 'FF']],
    ['hex(l)', ['FFFFFFFFFFFFFFFF', null, '0']],
    ['bin(i)', ['111', null, '11111111']],
    ['bin(l)', ['1'.repeat(64), null, '0']],
    ["levenshtein(s, 'abc')", [1, null, 90]],
  ])('%s', (sql, expected) => {
    expect(values(sql)).toEqual(expected);
  });

  it('computes md5, sha1, sha224 and sha256 as node:crypto does, across block boundaries', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: n === 299 ? 5000 : n }, () => next() & 0xff);
      const node = (alg: string) => createHash(alg).update(bytes).digest('hex');
      expect([md5(bytes), sha1(bytes), sha2(bytes, 224), sha2(bytes, 256)], `length ${bytes.length}`).toEqual([node('md5'), node('sha1'), node('sha224'), node('sha256')]);
    }
  });
});
