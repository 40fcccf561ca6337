/** Test helpers for engine tests and lesson checks (package subpath `@streamlab/runtime/testing`). */
export { testStream, TestStream, StreamAssertionError } from './test-stream.js';
export type { ExpectMode, TestStreamOptions } from './test-stream.js';
export { renderRows, renderValue } from './render.js';
