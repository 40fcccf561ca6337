/**
 * Colours for keys on the timeline. The palette is Okabe–Ito (distinguishable with the common colour
 * vision deficiencies), and each colour holds at least 3:1 contrast against both theme backgrounds, the
 * WCAG minimum for graphical objects.
 */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8f7500', '#56a0d3', '#b34700', '#6a5acd'];

/** Colour of the `index`-th key in a stable key order. */
export function keyColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}
