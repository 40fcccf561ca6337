/**
 * Who may drive the runtime. A page on another site must not be able to start code here, so every
 * websocket and every non-static endpoint needs the token, and a browser's `Origin` must be the
 * runtime's own origin or one configured explicitly. Clients that send no `Origin` (the CLI, tests,
 * scripts) are not browsers and need only the token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares tokens in constant time (hashing first so lengths do not leak either). */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1000) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The origins a browser uses for a runtime listening on `host:port`. */
export function ownOrigins(host: string, port: number): string[] {
  const hosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (host !== '0.0.0.0' && host !== '::') hosts.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return [...hosts].map((h) => `http://${h}:${port}`);
}

/**
 * Whether a request's Origin header is acceptable.
 * @param origin the header, if any
 * @param allowed own origins plus the configured allow-list
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  return allowed.includes(origin.toLowerCase().replace(/\/$/, ''));
}
