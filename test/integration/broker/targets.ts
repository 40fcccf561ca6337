/**
 * The two brokers every conformance scenario runs against: the embedded broker (started here,
 * in-process, on a free port) and the run's real Apache Kafka (from test/services). The embedded
 * broker is configured like the real one (auto-create off, one default partition, no initial
 * rebalance delay) so that any difference a test sees is a behaviour difference, not a setting.
 */
import { startBroker, type RunningBroker } from '../../../runtime/src/broker/index.js';
import { kafkaBootstrap } from '../../services/inject.js';

/** A broker under test. */
export interface Target {
  readonly name: 'embedded' | 'kafka';
  /** Resolves the bootstrap address (starting the embedded broker on first use). */
  bootstrap(): Promise<string>;
}

let embedded: Promise<RunningBroker> | undefined;

/** The in-process broker, shared by the tests of one file. */
export function embeddedBroker(): Promise<RunningBroker> {
  embedded ??= startBroker({ autoCreateTopics: false, defaultPartitions: 1 });
  return embedded;
}

/** Stops the in-process broker (call from afterAll). */
export async function stopEmbedded(): Promise<void> {
  const b = embedded;
  embedded = undefined;
  if (b) await (await b).close();
}

/** Both targets, for describe.each. */
export const TARGETS: readonly Target[] = [
  { name: 'embedded', bootstrap: async () => (await embeddedBroker()).bootstrap },
  { name: 'kafka', bootstrap: async () => kafkaBootstrap() },
];
