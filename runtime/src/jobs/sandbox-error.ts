/** An error the sandbox raises on purpose, in the job process or a browser worker: pure, no `node:*`. */

/** An error the sandbox raises on purpose; `code` tells the host which learner message to show. */
export class SandboxError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'Error';
  }
}
