/**
 * `throttle(cost, per, maximumBurst, costCalculation, mode)`: at most `cost` units per `per`, with
 * bursts up to `maximumBurst` units after idle time. In Shaping mode an element that comes too early
 * waits on a timer (one element at a time, so upstream is backpressured); in Enforcing mode it fails
 * the stream with "Maximum throttle throughput exceeded.". Time is the materializer's clock.
 */
import type { Attributes } from '../attributes.js';
import { RateExceededException } from '../errors.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import type { ThrottleModeKind } from '../throttle-mode.js';
import { TokenBucket } from '../token-bucket.js';
import { simpleStage } from './blueprint.js';

const TIMER = 'ThrottleTimer';
const NONE: unique symbol = Symbol('none');

class ThrottleLogic<T> extends GraphStageLogic {
  private readonly bucket: TokenBucket;
  private current: T | typeof NONE = NONE;
  private origin = 0;
  private readonly ports;

  constructor(attributes: Attributes, burst: number, nanosBetweenTokens: number, costCalculation: (x: T) => number, mode: ThrottleModeKind) {
    const ports = flowShape<T, T>('Throttle');
    super(ports, attributes);
    this.ports = ports;
    this.bucket = new TokenBucket(burst, nanosBetweenTokens, () => Math.round((this.now() - this.origin) * 1e6));
    const { in: inlet, out } = ports;
    this.setHandlers(inlet, out, {
      onUpstreamFinish: () => {
        if (!(this.isAvailable(out) && this.isTimerActive(TIMER))) this.completeStage();
      },
      onPush: () => {
        const elem = this.grab(inlet);
        let cost: number;
        try {
          cost = costCalculation(elem);
          if (typeof cost !== 'number' || Number.isNaN(cost)) throw new TypeError(`the cost calculation returned ${String(cost)} for element [${String(elem)}], not a number`);
        } catch (e) {
          // Throttle keeps no per-element state: restart behaves like resume (the bucket is kept).
          if (this.attributes.decider(e) === 'stop') this.failStage(e);
          else this.pull(inlet);
          return;
        }
        const delayNanos = this.bucket.offer(cost);
        if (delayNanos === 0) {
          this.push(out, elem);
        } else if (mode === 'enforcing') {
          this.failStage(new RateExceededException('Maximum throttle throughput exceeded.'));
        } else {
          this.current = elem;
          this.scheduleOnce(TIMER, delayNanos / 1e6);
        }
      },
      onPull: () => this.pull(inlet),
    });
  }

  override preStart(): void {
    this.origin = this.now();
    this.bucket.init();
  }

  protected override onTimer(): void {
    const { in: inlet, out } = this.ports;
    const elem = this.current as T;
    this.current = NONE;
    this.push(out, elem);
    if (this.isClosed(inlet)) this.completeStage();
  }
}

/** Automatic burst: as many tokens as arrive in 100 ms, at least one. */
export const AUTOMATIC_MAXIMUM_BURST = -1;

/** The `throttle` operator. */
export function throttleStage<T>(cost: number, perMs: number, maximumBurst: number, costCalculation: (x: T) => number, mode: ThrottleModeKind) {
  if (!(cost > 0)) throw new RangeError('requirement failed: cost must be > 0');
  const perNanos = Math.round(perMs * 1e6);
  if (!(perNanos > 0)) throw new RangeError('requirement failed: per time must be > 0');
  if (perNanos < cost) throw new RangeError('requirement failed: Rates larger than 1 unit / nanosecond are not supported');
  if (typeof costCalculation !== 'function') throw new TypeError('throttle: expected a cost calculation function');
  const nanosBetweenTokens = Math.floor(perNanos / cost);
  const burst = maximumBurst === AUTOMATIC_MAXIMUM_BURST ? Math.max(1, Math.floor(100_000_000 / nanosBetweenTokens)) : maximumBurst;
  if (mode === 'enforcing' && burst < 0) throw new RangeError('requirement failed: maximumBurst must be > 0 in Enforcing mode');
  if (!Number.isInteger(burst) || burst < 0) throw new RangeError(`throttle: maximumBurst must be a non-negative integer, got ${maximumBurst}`);
  return simpleStage('throttle', 'flow', (attrs) => new ThrottleLogic<T>(attrs, burst, nanosBetweenTokens, costCalculation, mode));
}
