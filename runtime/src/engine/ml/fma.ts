/**
 * Fused multiply-add, `a·b + c` rounded once (Java's `Math.fma`), which JavaScript lacks. Spark's
 * Java BLAS computes matrix-vector products with it, so multinomial margins need it to agree to the
 * last bit.
 *
 * Boldo and Melquiond's emulation ("Emulation of FMA and correctly rounded sums: proved algorithms
 * using rounding to odd", IEEE TC 2008):
 *
 *   (uh, ul) = a·b exactly (Dekker's product)
 *   (th, tl) = c + uh exactly (Knuth's two-sum)
 *   v        = tl + ul rounded to odd
 *   result   = th + v rounded to nearest
 *
 * Finite inputs whose product neither overflows nor falls into the subnormal range are exact;
 * others fall back to `a * b + c`.
 */

const SPLITTER = 134217729; // 2^27 + 1
const bits = new Float64Array(1);
// The double's two 32-bit halves (little-endian on every platform Node and browsers run on).
const halves = new Uint32Array(bits.buffer);

function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}

function split(x: number): [number, number] {
  const c = SPLITTER * x;
  const hi = c - (c - x);
  return [hi, x - hi];
}

function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}

/** `x + y` rounded to odd: when inexact, the neighbour whose last mantissa bit is 1. */
function addRoundToOdd(x: number, y: number): number {
  const [s, e] = twoSum(x, y);
  if (e === 0 || !Number.isFinite(s)) return s;
  bits[0] = s;
  if ((halves[0]! & 1) === 1) return s;
  // Even and inexact: step one unit (of the 64-bit pattern) towards the exact sum.
  if ((e > 0) === (s > 0)) {
    if (halves[0] === 0xffffffff) {
      halves[0] = 0;
      halves[1]! += 1;
    } else {
      halves[0]! += 1;
    }
  } else if (halves[0] === 0) {
    halves[0] = 0xffffffff;
    halves[1]! -= 1;
  } else {
    halves[0]! -= 1;
  }
  return bits[0]!;
}

/** `a·b + c` with one rounding. */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c) || (p !== 0 && Math.abs(p) < 1e-290) || Math.abs(p) > 1e300) return p + c;
  const [uh, ul] = twoProduct(a, b);
  const [th, tl] = twoSum(c, uh);
  return th + addRoundToOdd(tl, ul);
}
