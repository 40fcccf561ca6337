/**
 * Colours for keys on the timeline, as CSS variables defined per theme in theme.css. Both palettes
 * (Okabe–Ito based, distinguishable with the common colour vision deficiencies) hold at least 4:1
 * against their lane background, above the 3:1 WCAG asks of graphical objects.
 */

/** Number of distinct key colours before they repeat. */
export const KEY_COLORS = 8;

/** Colour of the `index`-th key in a stable key order, as a CSS value. */
export function keyColor(index: number): string {
  return `var(--sl-key-${((index % KEY_COLORS) + KEY_COLORS) % KEY_COLORS})`;
}
