import { startBroker } from './index.js';
const b = await startBroker({ port: Number(process.argv[2] ?? 0), dataDir: process.argv[3], hooks: { onProtocolError: (r) => console.log('PROTO', r), onRequest: (h) => process.env.TRACE && console.log('REQ', h.apiKey, h.apiVersion, h.clientId) } });
console.log('READY', b.bootstrap);
process.on('SIGTERM', () => void b.close().then(() => process.exit(0)));
