/** Pekko's `OverflowStrategy`: what a full buffer does with the next element. */
export type OverflowStrategyKind = 'backpressure' | 'dropHead' | 'dropTail' | 'dropBuffer' | 'dropNew' | 'fail';

/** One strategy (compare with `OverflowStrategy.backpressure`, ...). */
export interface OverflowStrategy {
  readonly kind: OverflowStrategyKind;
}

const make = (kind: OverflowStrategyKind): OverflowStrategy => Object.freeze({ kind, toString: () => kind.charAt(0).toUpperCase() + kind.slice(1) });

/** The strategies, with Pekko's names. */
export const OverflowStrategy = Object.freeze({
  /** Stop pulling upstream while the buffer is full. */
  backpressure: make('backpressure'),
  /** Drop the oldest buffered element to make room. */
  dropHead: make('dropHead'),
  /** Drop the newest buffered element to make room. */
  dropTail: make('dropTail'),
  /** Drop every buffered element to make room. */
  dropBuffer: make('dropBuffer'),
  /** Drop the arriving element (Source.queue only). */
  dropNew: make('dropNew'),
  /** Fail the stream with BufferOverflowException. */
  fail: make('fail'),
});

/** Checks a strategy argument. */
export function overflowKind(strategy: unknown, allowDropNew: boolean, where: string): OverflowStrategyKind {
  const kind = (strategy as OverflowStrategy | undefined)?.kind;
  const allowed: OverflowStrategyKind[] = ['backpressure', 'dropHead', 'dropTail', 'dropBuffer', 'fail', ...(allowDropNew ? ['dropNew' as const] : [])];
  if (!kind || !allowed.includes(kind)) {
    throw new TypeError(`${where}: expected an OverflowStrategy (${allowed.map((k) => `OverflowStrategy.${k}`).join(', ')}), got ${String(strategy)}`);
  }
  return kind;
}
