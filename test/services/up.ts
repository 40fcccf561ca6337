/**
 * `npm run services:up`: starts the test services in the foreground for manual work and prints the
 * env lines that point tests (and anything else) at them. Ctrl-C stops them.
 */
import { redactUrl, startTestServices } from './resolve.js';
import { bannerPart } from './service.js';

const services = await startTestServices();
console.log(`services: ${bannerPart(services.kafka)} ${bannerPart(services.postgres)}`);
console.log(`# kafka ready in ${services.kafka.startMs} ms, postgres in ${services.postgres.startMs} ms. Paste into another shell:`);
console.log(`export STREAMLAB_KAFKA=${services.kafka.value}`);
console.log(`export DATABASE_URL=${services.postgres.value}`);
console.log('# Ctrl-C stops them.');

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\nservices: ${signal}, stopping (${redactUrl(services.postgres.value)}, ${services.kafka.value})`);
  await services.stop();
  console.log('services: stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// Keep the event loop alive until a signal arrives.
setInterval(() => undefined, 1 << 30);
