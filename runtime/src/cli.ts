/**
 * The `streamlab` command line. `main(argv)` returns the process exit code.
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

export async function main(argv: string[]): Promise<number> {
  const [command = 'start'] = argv;
  if (command === 'start') return start();
  console.error(`streamlab: unknown command '${command}'. Try: streamlab --help`);
  return 2;
}

async function start(): Promise<number> {
  const token = process.env.STREAMLAB_TOKEN ?? randomBytes(16).toString('hex');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Streamlab runtime is running.\n');
  });
  await new Promise<void>((resolve) => server.listen(5170, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 5170;
  console.log(`Streamlab ready: http://127.0.0.1:${port}/?token=${token}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  server.close();
  return 0;
}
