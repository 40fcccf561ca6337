/**
 * The socket source's connections (`format("socket")`): TCP to a server on this machine only
 * (`localhost`, `127.0.0.1`, `::1`), as Spark's word count reads from `nc -lk 9999`. Any other host
 * is refused before anything connects, so learner code cannot reach other machines through it.
 */
import { createConnection } from 'node:net';
import { AnalysisException } from '../../engine/errors.js';
import type { SocketConnector } from '../../engine/sources/socket-source.js';

const LOOPBACK: Record<string, string> = { localhost: '127.0.0.1', '127.0.0.1': '127.0.0.1', '::1': '::1', '[::1]': '::1' };

/** Connects to a loopback address; lines are split on `\n` (a trailing `\r` dropped), UTF-8. */
export const loopbackSocketConnector: SocketConnector = (host, port, handlers) => {
  const address = LOOPBACK[host.toLowerCase()];
  if (!address) {
    return Promise.reject(new AnalysisException(`The socket source reads from this machine only: use option("host", "localhost") instead of "${host}".`, { code: 'SOCKET_HOST_NOT_LOCAL' }));
  }
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: address, port });
    let pending = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      resolve({ close: () => socket.destroy() });
    });
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        handlers.line(pending.slice(0, i).replace(/\r$/, ''));
        pending = pending.slice(i + 1);
      }
    });
    socket.on('error', (e) => {
      if (!connected) reject(new Error(`Connection refused: ${host}:${port} (${(e as NodeJS.ErrnoException).code ?? e.message})`));
      else handlers.end(e);
    });
    socket.on('end', () => handlers.end());
  });
};
