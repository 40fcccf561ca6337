/**
 * Brokers with SASL/SCRAM for the authentication tests: the embedded broker with its SASL_PLAINTEXT
 * listener, and real Apache Kafka with a SASL_PLAINTEXT listener (SCRAM-SHA-256, SCRAM-SHA-512,
 * PLAIN) and the same users. Real Kafka is named by `STREAMLAB_KAFKA_SCRAM` (its SASL bootstrap),
 * `STREAMLAB_KAFKA_SCRAM_PLAINTEXT` (a PLAINTEXT bootstrap for setup) and
 * `STREAMLAB_KAFKA_SCRAM_USERS` (`name:password,...`, which must include the users below), or else
 * started here on the JVM from the jars `npm run services:fetch` caches.
 */
import { randomBytes } from 'node:crypto';
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { startLocalKafka, type LocalKafka } from '../../services/local-kafka.js';

/** A broker under test, with a PLAINTEXT address for setup and a SASL one for the clients. */
export interface ScramTarget {
  readonly name: 'embedded' | 'kafka';
  start(): Promise<{ plaintext: string; sasl: string }>;
  stop(): Promise<void>;
}

function users(): Record<string, string> {
  const given = process.env.STREAMLAB_KAFKA_SCRAM_USERS;
  if (given) return Object.fromEntries(given.split(',').map((pair) => pair.split(':') as [string, string]));
  return { 'spark-consumer': `pw-${randomBytes(9).toString('base64url')}`, 'kafka-test-app': `pw-${randomBytes(9).toString('base64url')}` };
}

/** The users both brokers have, name → password. */
export const SCRAM_USERS: Readonly<Record<string, string>> = users();

let embedded: RunningBroker | undefined;
let local: LocalKafka | undefined;

/** Both targets, for describe.each. */
export const SCRAM_TARGETS: readonly ScramTarget[] = [
  {
    name: 'embedded',
    async start() {
      embedded ??= await startBroker({ autoCreateTopics: false, sasl: {}, users: SCRAM_USERS });
      return { plaintext: embedded.bootstrap, sasl: embedded.saslBootstrap! };
    },
    async stop() {
      await embedded?.close();
      embedded = undefined;
    },
  },
  {
    name: 'kafka',
    async start() {
      const sasl = process.env.STREAMLAB_KAFKA_SCRAM;
      if (sasl) {
        const plaintext = process.env.STREAMLAB_KAFKA_SCRAM_PLAINTEXT;
        if (!plaintext) throw new Error('STREAMLAB_KAFKA_SCRAM names a SASL listener; also set STREAMLAB_KAFKA_SCRAM_PLAINTEXT and STREAMLAB_KAFKA_SCRAM_USERS');
        return { plaintext, sasl };
      }
      local ??= await startLocalKafka({ sasl: { users: SCRAM_USERS } });
      return { plaintext: local.bootstrap, sasl: local.saslBootstrap! };
    },
    async stop() {
      await local?.stop();
      local = undefined;
    },
  },
];
