/**
 * One clear error for a failed PostgreSQL write, whatever `pg` threw: a learner should read
 * "PostgreSQL is not reachable at 127.0.0.1:5432", not `ECONNREFUSED` from deep inside a driver.
 */

/** A PostgreSQL write that failed; the batch did not commit and is replayed on restart. */
export class PostgresWriteError extends Error {
  /** Stable code for the workbench. */
  readonly code = 'POSTGRES_WRITE';
  constructor(
    message: string,
    /** The PostgreSQL SQLSTATE when the server answered, or the socket error code. */
    readonly sqlState: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SQLException';
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001']);

/** True when the error means the server could not be reached (rather than refused the SQL). */
export function isConnectionFailure(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | undefined;
  if (err?.code && CONNECT_CODES.has(err.code)) return true;
  return /Connection terminated|connect ECONNREFUSED|timeout expired/i.test(err?.message ?? '');
}

/** Wraps a `pg` error with what was being done and where. */
export function wrapPgError(e: unknown, action: string, where: string): PostgresWriteError {
  if (e instanceof PostgresWriteError) return e;
  const err = e as { code?: string; message?: string; detail?: string } | undefined;
  const reason = err?.message ?? String(e);
  if (isConnectionFailure(e)) {
    return new PostgresWriteError(`PostgreSQL is not reachable at ${where} while ${action}: ${reason}`, err?.code, { cause: e });
  }
  const detail = err?.detail ? ` (${err.detail})` : '';
  return new PostgresWriteError(`PostgreSQL rejected ${action}: ${reason}${detail}`, err?.code, { cause: e });
}
