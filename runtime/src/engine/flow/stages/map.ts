/** `map(f)`: one element out per element in; a throwing `f` is handled by the supervision decider. */
import type { Attributes } from '../attributes.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { simpleStage } from './blueprint.js';

class MapLogic<I, O> extends GraphStageLogic {
  constructor(attributes: Attributes, f: (x: I) => O) {
    const ports = flowShape<I, O>('Map');
    super(ports, attributes);
    const { in: inlet, out } = ports;
    this.setHandlers(inlet, out, {
      onPush: () => {
        try {
          this.push(out, f(this.grab(inlet)));
        } catch (e) {
          if (this.attributes.decider(e) === 'stop') this.failStage(e);
          else this.pull(inlet);
        }
      },
      onPull: () => this.pull(inlet),
    });
  }
}

/** The `map` operator. */
export function mapStage<I, O>(f: (x: I) => O) {
  if (typeof f !== 'function') throw new TypeError('map: expected a function');
  return simpleStage('map', 'flow', (attrs) => new MapLogic<I, O>(attrs, f));
}
