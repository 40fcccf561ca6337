/** Pekko's `RunnableGraph[Mat]`: a source connected to a sink, ready to `run`. */
import { systemOf, type MaterializerLike } from './actor-system.js';
import { Attributes } from './attributes.js';
import { addAttributes, mapMat, withAttributes, type Module } from './graph.js';

/** A complete stream blueprint; `run()` starts it and returns its materialized value. */
export class RunnableGraph<Mat> {
  /** @internal */
  readonly module: Module;

  /** @internal Made by `source.to(sink)` / `source.toMat(sink, combine)`. */
  constructor(module: Module) {
    this.module = module;
  }

  /** Starts the stream on a system (or the default one); returns the materialized value. */
  run(materializer?: MaterializerLike): Mat {
    return systemOf(materializer).materialize<Mat>(this.module);
  }

  /** Maps the materialized value. */
  mapMaterializedValue<M2>(f: (m: Mat) => M2): RunnableGraph<M2> {
    return new RunnableGraph<M2>(mapMat(this.module, f as (m: unknown) => unknown));
  }

  /** Replaces this blueprint's attributes. */
  withAttributes(attributes: Attributes): RunnableGraph<Mat> {
    return new RunnableGraph<Mat>(withAttributes(this.module, attributes));
  }

  /** Adds attributes. */
  addAttributes(attributes: Attributes): RunnableGraph<Mat> {
    return new RunnableGraph<Mat>(addAttributes(this.module, attributes));
  }

  /** Names this blueprint. */
  named(name: string): RunnableGraph<Mat> {
    return this.addAttributes(Attributes.name(name));
  }
}
