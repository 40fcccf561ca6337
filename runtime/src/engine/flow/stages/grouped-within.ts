/**
 * `groupedWithin(n, d)` and `groupedWeightedWithin(maxWeight, [maxNumber,] costFn, d)`: a group goes out
 * when it is full (by count or by weight) or when the interval's timer fires, whichever comes first —
 * but only when downstream asks; meanwhile it keeps pulling. The timer runs on the materializer's clock
 * with a fixed delay, and restarts whenever a group closes because it is full. Empty groups are never
 * emitted.
 *
 *   element fits (weight and count)   add; pull again while there is room, else close the group
 *   element does not fit              keep it as `pending` (first of the next group), close the group
 *   element alone heavier than max    it is a group of its own
 *   close the group                   push if downstream waits, else push on its next pull
 *   upstream finished                 push what is left (and then the pending element), complete
 */
import type { Attributes } from '../attributes.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { simpleStage } from './blueprint.js';

const TIMER = 'GroupedWeightedWithinTimer';
const NONE: unique symbol = Symbol('none');

class GroupedWeightedWithinLogic<T> extends GraphStageLogic {
  private group: T[] = [];
  private pending: T | typeof NONE = NONE;
  private pendingWeight = 0;
  private pushEagerly = false;
  private groupEmitted = true;
  private finished = false;
  private totalWeight = 0;
  private totalNumber = 0;
  private hasElements = false;
  private readonly ports;

  constructor(
    attributes: Attributes,
    private readonly maxWeight: number,
    private readonly maxNumber: number,
    private readonly costFn: (x: T) => number,
    private readonly intervalMs: number,
  ) {
    const ports = flowShape<T, T[]>('GroupedWeightedWithin');
    super(ports, attributes);
    this.ports = ports;
    const { in: inlet, out } = ports;
    this.setHandlers(inlet, out, {
      onPush: () => {
        if (this.pending === NONE) this.nextElement(this.grab(inlet)); // else keep it for the next round
      },
      onPull: () => {
        if (this.pushEagerly) this.emitGroup();
      },
      onUpstreamFinish: () => {
        this.finished = true;
        if (this.groupEmitted) this.completeStage();
        else this.tryCloseGroup();
      },
    });
  }

  override preStart(): void {
    this.scheduleWithFixedDelay(TIMER, this.intervalMs, this.intervalMs);
    this.pull(this.ports.in);
  }

  private restartTimer(): void {
    this.scheduleWithFixedDelay(TIMER, this.intervalMs, this.intervalMs);
  }

  private nextElement(elem: T): void {
    const { in: inlet, out } = this.ports;
    let cost: number;
    try {
      cost = this.costFn(elem);
      if (typeof cost !== 'number' || Number.isNaN(cost)) throw new TypeError(`the cost function returned ${String(cost)} for element [${String(elem)}], not a number`);
    } catch (e) {
      switch (this.attributes.decider(e)) {
        case 'stop':
          this.failStage(e);
          return;
        case 'resume':
          // Skip the element, keep the current group.
          if (!this.hasBeenPulled(inlet)) this.pull(inlet);
          return;
        default:
          // Drop the current group and start the time window again.
          this.resetGroup();
          this.restartTimer();
          if (!this.hasBeenPulled(inlet)) this.pull(inlet);
          return;
      }
    }
    this.groupEmitted = false;
    if (cost < 0) {
      this.failStage(new RangeError(`Negative weight [${cost}] for element [${String(elem)}] is not allowed`));
      return;
    }
    this.hasElements = true;
    if (this.totalWeight + cost <= this.maxWeight && this.totalNumber + 1 <= this.maxNumber) {
      this.group.push(elem);
      this.totalWeight += cost;
      this.totalNumber += 1;
      if (this.totalWeight < this.maxWeight && this.totalNumber < this.maxNumber) {
        this.pull(inlet);
      } else if (!this.isAvailable(out)) {
        // Full: it goes out on the next pull. Keep pulling meanwhile (zero-weight elements still fit).
        this.pushEagerly = true;
        this.pull(inlet);
      } else {
        this.restartTimer();
        this.emitGroup();
      }
      return;
    }
    if (this.totalWeight === 0 && this.totalNumber === 0) {
      // A single element heavier than the limit is a group of its own.
      this.group.push(elem);
      this.totalWeight += cost;
      this.totalNumber += 1;
      this.pushEagerly = true;
    } else {
      this.pending = elem;
      this.pendingWeight = cost;
    }
    this.restartTimer();
    this.tryCloseGroup();
  }

  private resetGroup(): void {
    this.group = [];
    this.pending = NONE;
    this.pendingWeight = 0;
    this.pushEagerly = false;
    this.groupEmitted = true;
    this.totalWeight = 0;
    this.totalNumber = 0;
    this.hasElements = false;
  }

  private tryCloseGroup(): void {
    if (this.isAvailable(this.ports.out)) this.emitGroup();
    else if (this.pending !== NONE || this.finished) this.pushEagerly = true;
  }

  private emitGroup(): void {
    const { out } = this.ports;
    this.groupEmitted = true;
    const group = this.group;
    this.group = [];
    this.push(out, group);
    if (this.finished) {
      if (this.pending !== NONE) {
        const last = this.pending;
        this.pending = NONE;
        this.emit(out, [last], () => this.completeStage());
      } else {
        this.completeStage();
      }
    } else {
      this.startNewGroup();
    }
  }

  private startNewGroup(): void {
    const { in: inlet } = this.ports;
    if (this.pending !== NONE) {
      this.totalWeight = this.pendingWeight;
      this.totalNumber = 1;
      this.pendingWeight = 0;
      this.group.push(this.pending);
      this.pending = NONE;
      this.groupEmitted = false;
    } else {
      this.totalWeight = 0;
      this.totalNumber = 0;
      this.hasElements = false;
    }
    this.pushEagerly = false;
    if (this.isAvailable(inlet)) this.nextElement(this.grab(inlet));
    else if (!this.hasBeenPulled(inlet)) this.pull(inlet);
  }

  protected override onTimer(): void {
    if (!this.hasElements) return;
    if (this.isAvailable(this.ports.out)) this.emitGroup();
    else this.pushEagerly = true;
  }
}

/** The `groupedWeightedWithin` operator (and `groupedWithin`: count only). */
export function groupedWeightedWithinStage<T>(name: string, maxWeight: number, maxNumber: number, costFn: (x: T) => number, intervalMs: number) {
  if (!(maxWeight > 0)) throw new RangeError('requirement failed: maxWeight must be greater than 0');
  if (!(maxNumber > 0) || !(Number.isInteger(maxNumber) || maxNumber === Infinity)) throw new RangeError('requirement failed: maxNumber must be greater than 0');
  if (!(intervalMs > 0)) throw new RangeError('requirement failed: the interval must be greater than 0');
  if (typeof costFn !== 'function') throw new TypeError(`${name}: expected a cost function`);
  return simpleStage(name, 'flow', (attrs) => new GroupedWeightedWithinLogic<T>(attrs, maxWeight, maxNumber, costFn, intervalMs));
}
