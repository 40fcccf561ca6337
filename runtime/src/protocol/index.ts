/**
 * The websocket protocol shared by the runtime and the workbench: zod schemas, inferred types and the
 * frame codec. Pure: no I/O.
 */
export * from './version.js';
export * from './common.js';
export * from './batch-trace.js';
export * from './query-progress.js';
export * from './client-messages.js';
export * from './server-messages.js';
export * from './request-reply.js';
export * from './codec.js';
export * from './downgrade.js';
export * from './serving.js';
