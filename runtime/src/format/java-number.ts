/**
 * Numbers as Java prints them, which is how Spark shows doubles and floats: `Double.toString` and
 * `Float.toString`.
 */

/** Java's `Double.toString`: `1.0`, `0.1`, `1.0E20`, `1.0E-5`, `NaN`, `Infinity`; scientific outside [1e-3, 1e7). */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  // JavaScript gives `1.5e+21`; Java gives `1.5E21`, and always a fraction digit (`1.0E7`).
  const [mantissa = '', exponent = ''] = d.toExponential().split('e');
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** Java's `Float.toString`, through the shortest decimal that rounds to the same float32. */
export function javaFloat(f: number): string {
  if (!Number.isFinite(f) || f === 0) return javaDouble(f);
  for (let p = 1; p <= 9; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === Math.fround(f)) return javaDouble(s);
  }
  return javaDouble(f);
}
