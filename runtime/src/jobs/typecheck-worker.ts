/**
 * The type-check worker: one TypeScript program (typecheck-program.ts) kept warm across requests, off
 * the runtime's main thread, which serves the websocket and the embedded broker.
 *
 *   main → worker  { id, files }
 *   worker → main  { id, errors } | { id, failure }   (failure: the checker itself threw)
 */
import { parentPort } from 'node:worker_threads';
import type { LearnerError } from './learner-error.js';
import { createChecker, type TypecheckFile } from './typecheck-program.js';

/** A request to the worker. */
export interface TypecheckRequest {
  id: number;
  files: TypecheckFile[];
}

/** The worker's answer to request `id`. */
export type TypecheckResponse = { id: number; errors: LearnerError[] } | { id: number; failure: string };

const port = parentPort;
if (port) {
  const checker = createChecker();
  port.on('message', (request: TypecheckRequest) => {
    void checker
      .then((check) => port.postMessage({ id: request.id, errors: check(request.files) } satisfies TypecheckResponse))
      .catch((e: unknown) => port.postMessage({ id: request.id, failure: e instanceof Error ? e.message : String(e) } satisfies TypecheckResponse));
  });
}
