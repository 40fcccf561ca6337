/** Checkpoint storage with I/O (the engine defines the interface and an in-memory store). */
export { FileCheckpointStore, fileCheckpointResolver } from './file-checkpoint-store.js';
