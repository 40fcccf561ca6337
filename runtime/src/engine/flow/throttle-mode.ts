/** Pekko's `ThrottleMode`: `Shaping` delays elements to the rate, `Enforcing` fails the stream above it. */
export type ThrottleModeKind = 'shaping' | 'enforcing';

/** One mode. */
export interface ThrottleMode {
  readonly kind: ThrottleModeKind;
}

const shaping: ThrottleMode = Object.freeze({ kind: 'shaping', toString: () => 'Shaping' });
const enforcing: ThrottleMode = Object.freeze({ kind: 'enforcing', toString: () => 'Enforcing' });

/** The modes (Scala's `ThrottleMode.Shaping`, Java's `ThrottleMode.shaping()`). */
export const ThrottleMode = Object.freeze({ Shaping: shaping, Enforcing: enforcing, shaping, enforcing });
