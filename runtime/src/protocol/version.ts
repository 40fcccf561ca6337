/**
 * Protocol versions. The client sends every version it speaks in `hello`; the server answers with the
 * highest one both sides know. Adding optional fields or new message kinds keeps the version; removing or
 * changing the meaning of a field bumps it.
 */

/** The protocol version this build speaks natively. */
export const PROTOCOL_VERSION = 1;

/** Every protocol version this build can still speak, oldest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

/** Largest text frame the server accepts, in bytes; larger frames close the socket with code 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Picks the highest version both sides speak, or `null` when there is none.
 * @param offered versions the client offers, in any order
 * @param supported versions this side speaks
 */
export function negotiateVersion(offered: readonly number[], supported: readonly number[] = SUPPORTED_PROTOCOL_VERSIONS): number | null {
  let best: number | null = null;
  for (const v of offered) {
    if (supported.includes(v) && (best === null || v > best)) best = v;
  }
  return best;
}
