/**
 * `buffer(size, overflowStrategy)`: keeps up to `size` elements while downstream is slower. It always
 * pulls ahead while there is room; when full, the strategy decides (backpressure, drop head/tail/all,
 * or fail with "Buffer overflow (max capacity was: N)!").
 */
import type { Attributes } from '../attributes.js';
import { BufferOverflowException } from '../errors.js';
import { overflowKind, type OverflowStrategyKind } from '../overflow-strategy.js';
import { flowShape, GraphStageLogic } from '../stage-logic.js';
import { BoundedBuffer } from './bounded-buffer.js';
import { requirePositive, simpleStage } from './blueprint.js';

class BufferLogic<T> extends GraphStageLogic {
  private readonly buffer: BoundedBuffer<T>;
  private readonly inlet;

  constructor(attributes: Attributes, size: number, strategy: OverflowStrategyKind) {
    const ports = flowShape<T, T>('Buffer');
    super(ports, attributes);
    const { in: inlet, out } = ports;
    this.inlet = inlet;
    const buffer = (this.buffer = new BoundedBuffer<T>(size));
    const enqueue = (elem: T): void => {
      switch (strategy) {
        case 'dropHead':
          if (buffer.isFull) buffer.dropHead();
          buffer.enqueue(elem);
          this.pull(inlet);
          return;
        case 'dropTail':
          if (buffer.isFull) buffer.dropTail();
          buffer.enqueue(elem);
          this.pull(inlet);
          return;
        case 'dropBuffer':
          if (buffer.isFull) buffer.clear();
          buffer.enqueue(elem);
          this.pull(inlet);
          return;
        case 'backpressure':
          buffer.enqueue(elem);
          if (!buffer.isFull) this.pull(inlet);
          return;
        default:
          if (buffer.isFull) {
            this.failStage(new BufferOverflowException(`Buffer overflow (max capacity was: ${size})!`));
          } else {
            buffer.enqueue(elem);
            this.pull(inlet);
          }
      }
    };
    this.setHandlers(inlet, out, {
      onPush: () => {
        const elem = this.grab(inlet);
        // Pulled and nothing delivered yet means the buffer is empty: pass the element straight on.
        if (this.isAvailable(out)) {
          this.push(out, elem);
          this.pull(inlet);
        } else {
          enqueue(elem);
        }
      },
      onPull: () => {
        if (buffer.nonEmpty) this.push(out, buffer.dequeue());
        if (this.isClosed(inlet)) {
          if (buffer.isEmpty) this.completeStage();
        } else if (!this.hasBeenPulled(inlet)) {
          this.pull(inlet);
        }
      },
      onUpstreamFinish: () => {
        if (buffer.isEmpty) this.completeStage();
      },
    });
  }

  override preStart(): void {
    this.pull(this.inlet);
  }
}

/** The `buffer` operator. */
export function bufferStage<T>(size: number, strategy: unknown) {
  requirePositive(size, 'buffer size must be greater than 0');
  const kind = overflowKind(strategy, false, 'buffer');
  return simpleStage('buffer', 'flow', (attrs) => new BufferLogic<T>(attrs, size, kind));
}
