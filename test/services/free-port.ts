import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on 127.0.0.1: listen on port 0, read the port, close.
 * Needed where a port must be written into a config before the server starts (Kafka's voters).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Two distinct free ports (the kernel could otherwise hand out the same one twice after a close). */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
