/** `grouped(n)`: lists of `n` elements; the last may be shorter when upstream ends. */
import type { Attributes } from '../attributes.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { requirePositive, simpleStage } from './blueprint.js';

class GroupedLogic<T> extends GraphStageLogic {
  private group: T[] = [];

  constructor(attributes: Attributes, n: number) {
    const ports = flowShape<T, T[]>('Grouped');
    super(ports, attributes);
    const { in: inlet, out } = ports;
    this.setHandlers(inlet, out, {
      onPush: () => {
        this.group.push(this.grab(inlet));
        if (this.group.length >= n) {
          const full = this.group;
          this.group = [];
          this.push(out, full);
        } else {
          this.pull(inlet);
        }
      },
      onPull: () => this.pull(inlet),
      onUpstreamFinish: () => {
        if (this.group.length > 0) {
          const rest = this.group;
          this.group = [];
          this.push(out, rest);
        }
        this.completeStage();
      },
    });
  }
}

/** The `grouped` operator. */
export function groupedStage<T>(n: number) {
  requirePositive(n, 'n must be greater than 0');
  return simpleStage('grouped', 'flow', (attrs) => new GroupedLogic<T>(attrs, n));
}
