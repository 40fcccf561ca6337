/**
 * `filter(p)` / `filterNot(p)`: passes the elements `p` accepts. As Pekko's Filter, it pulls ahead and
 * holds one accepted element while downstream has not asked for it.
 */
import type { Attributes } from '../attributes.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { simpleStage } from './blueprint.js';

const NONE: unique symbol = Symbol('none');

class FilterLogic<T> extends GraphStageLogic {
  private held: T | typeof NONE = NONE;
  private readonly inlet;

  constructor(attributes: Attributes, p: (x: T) => boolean) {
    const ports = flowShape<T, T>('Filter');
    super(ports, attributes);
    const { in: inlet, out } = ports;
    this.inlet = inlet;
    this.setHandlers(inlet, out, {
      onPush: () => {
        try {
          const elem = this.grab(inlet);
          if (p(elem)) {
            if (this.isAvailable(out)) {
              this.push(out, elem);
              this.pull(inlet);
            } else {
              this.held = elem;
            }
          } else {
            this.pull(inlet);
          }
        } catch (e) {
          if (this.attributes.decider(e) === 'stop') this.failStage(e);
          else this.pull(inlet);
        }
      },
      onPull: () => {
        if (this.held === NONE) return; // already pulled
        const elem = this.held;
        this.held = NONE;
        this.push(out, elem);
        if (!this.isClosed(inlet)) this.pull(inlet);
        else this.completeStage();
      },
      onUpstreamFinish: () => {
        if (this.held === NONE) this.completeStage();
        // else the next onPull pushes the held element and completes
      },
    });
  }

  override preStart(): void {
    this.pull(this.inlet);
  }
}

/** The `filter` operator. */
export function filterStage<T>(p: (x: T) => boolean, negate = false) {
  if (typeof p !== 'function') throw new TypeError(`${negate ? 'filterNot' : 'filter'}: expected a predicate function`);
  const pred = negate ? (x: T) => !p(x) : p;
  return simpleStage(negate ? 'filterNot' : 'filter', 'flow', (attrs) => new FilterLogic<T>(attrs, pred));
}
