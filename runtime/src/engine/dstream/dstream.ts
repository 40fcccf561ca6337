/** A discretized stream: a sequence of RDDs, one per batch. */
export class DStream<T> {
  /** Phantom marker so the element type is kept. */
  declare readonly __element?: T;
}
