/**
 * Runs the embedded broker as its own process for the durability test:
 *   node --import tsx broker-process.ts <port> <dataDir>
 * Prints `READY <port>` once it accepts connections; stops on SIGTERM (or dies on SIGKILL).
 */
import { startBroker } from '../../../runtime/src/broker/index.js';

const [port, dataDir] = process.argv.slice(2);
const broker = await startBroker({
  port: Number(port),
  dataDir,
  hooks: { onProtocolError: (reason) => process.stderr.write(`protocol error: ${reason}\n`) },
});
process.stdout.write(`READY ${broker.port}\n`);
process.once('SIGTERM', () => {
  void broker.close().then(() => process.exit(0));
});
