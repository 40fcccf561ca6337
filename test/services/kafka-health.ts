import { Kafka, logLevel } from 'kafkajs';

/**
 * Proves a Kafka cluster answers a real request (`describeCluster`) within `capMs`.
 * A closed port fails fast on its own; the cap bounds a port that accepts and then never answers.
 * @returns the broker count and controller id the cluster reported.
 */
export async function checkKafka(bootstrap: string, capMs = 20_000): Promise<{ brokers: number; controller: number | null }> {
  const kafka = new Kafka({
    clientId: 'streamlab-health',
    brokers: bootstrap.split(',').map((b) => b.trim()).filter(Boolean),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 2_000 },
  });
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    const cluster = await Promise.race([
      (async () => {
        await admin.connect();
        return admin.describeCluster();
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(capMs / 1000)} s`)), capMs);
      }),
    ]);
    return { brokers: cluster.brokers.length, controller: cluster.controller };
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}
