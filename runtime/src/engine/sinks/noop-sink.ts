import type { SinkProvider } from './sink.js';

/** The `noop` sink: runs the query and discards the output (for benchmarks). */
export const noopSinkProvider: SinkProvider = {
  createSink: () => ({ addBatch: () => undefined }),
};
