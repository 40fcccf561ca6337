/**
 * The flow API's connectors on real services: Pekko Connectors Kafka's consumer sources and committer
 * over the runtime's Kafka (kafkajs), and Slick statements into PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { setKafkaClientFactory } from '../../../runtime/src/engine/kafka-client/client-factory.js';
import { kafkajsClientFactory } from '../../../runtime/src/connectors/kafka/learner-clients.js';
import { pgSqlExecutorFactory } from '../../../runtime/src/connectors/postgres/flow-sql.js';
import {
  ActorSystem, Committer, CommitterSettings, Consumer, ConsumerSettings, Keep, Sink, Slick, SlickSession, StringDeserializer, Subscriptions,
  setSqlExecutorFactory, sql, sqlu,
} from '../../../runtime/src/engine/flow/index.js';
import { createTopicReady } from '../../services/create-topic.js';

let kafka: Kafka;
let client: pg.Client;
let system: ActorSystem;

beforeAll(async () => {
  kafka = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
  setKafkaClientFactory(kafkajsClientFactory({ brokers: [kafkaBootstrap()] }));
  setSqlExecutorFactory(pgSqlExecutorFactory(databaseUrl()));
  client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  system = ActorSystem.create('flow-it', { clock: new ManualClock(Date.UTC(2026, 10, 21, 10)) });
});

afterAll(async () => {
  await system?.terminate();
  setKafkaClientFactory(null);
  setSqlExecutorFactory(null);
  await client?.end();
});

async function topicWith(records: Array<{ key: string; value: string }>, partitions: number): Promise<string> {
  const topic = freshTopic('flow-fixes');
  const admin = kafka.admin();
  await admin.connect();
  await createTopicReady(admin, topic, partitions);
  await admin.disconnect();
  // Idempotent: a send whose answer comes late on a loaded machine is sent again although the broker
  // appended it, and the topic would hold some fixes twice; the broker drops such a retried batch.
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  await producer.send({ topic, messages: records });
  await producer.disconnect();
  return topic;
}

async function committedTotal(group: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return (t?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fixes = Array.from({ length: 40 }, (_, i) => ({
  device_id: `device-${(i % 4) + 1}`,
  latitude: (40.4168 + i / 1000).toFixed(6),
  longitude: (-3.7038 - i / 1000).toFixed(6),
  ts: new Date(Date.UTC(2026, 10, 21, 10, 0, i)).toISOString(),
}));

describe('Consumer.committableSource → Slick → Committer.sink', () => {
  it('writes every fix once, commits every offset, and a restart reads only new records', async () => {
    const topic = await topicWith(fixes.map((f) => ({ key: f.device_id, value: JSON.stringify(f) })), 3);
    const table = freshName('flow_locations');
    const group = freshName('flow_group');
    await client.query(`create table ${table} (device_id text, latitude double precision, longitude double precision, ts timestamptz)`);
    const session = SlickSession.forConfig('slick-postgres');
    const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
      .withBootstrapServers('kafka:9093')
      .withGroupId(group)
      .withProperty('auto.offset.reset', 'earliest');
    const insert = (f: (typeof fixes)[number]) => sqlu`insert into ${Slick.literal(table)} values (${f.device_id}, ${Number(f.latitude)}, ${Number(f.longitude)}, ${f.ts})`;
    const start = () => Consumer.committableSource(settings, Subscriptions.topics(topic))
      .map((msg) => ({ fix: JSON.parse(msg.record.value!) as (typeof fixes)[number], offset: msg.committableOffset }))
      .via(Slick.flowWithPassThrough(session, 4, ({ fix, offset }: { fix: (typeof fixes)[number]; offset: unknown }) => insert(fix).map(() => offset)))
      .toMat(Committer.sink(CommitterSettings.create(system).withMaxBatch(10)), Consumer.DrainingControl.apply)
      .run(system);

    const control = start();
    await until(() => client.query(`select count(*)::int as n from ${table}`), (r) => r.rows[0].n === 40);
    expect(await control.drainAndShutdown()).toBeDefined();
    expect(await committedTotal(group, topic)).toBe(40);
    const rows = await client.query(`select device_id, latitude, longitude, to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as ts from ${table} order by ts`);
    expect(rows.rows).toEqual(fixes.map((f) => ({ device_id: f.device_id, latitude: Number(f.latitude), longitude: Number(f.longitude), ts: f.ts.slice(0, 19) })));

    // Same group again: the committed offsets hold, only the three new records are read.
    const producer = kafka.producer();
    await producer.connect();
    const more = fixes.slice(0, 3).map((f) => ({ ...f, device_id: `${f.device_id}-again` }));
    await producer.send({ topic, messages: more.map((f) => ({ key: f.device_id, value: JSON.stringify(f) })) });
    await producer.disconnect();
    const again = start();
    await until(() => client.query(`select count(*)::int as n from ${table}`), (r) => r.rows[0].n === 43);
    await again.drainAndShutdown();
    expect(await committedTotal(group, topic)).toBe(43);
    const again3 = await client.query(`select device_id from ${table} where device_id like '%-again' order by device_id`);
    expect(again3.rows.map((r) => r.device_id)).toEqual(more.map((f) => f.device_id).sort());
    const read = await Slick.source(session, sql`select count(*)::int as n from pg_tables where tablename = ${table}`).runWith(Sink.seq(), system);
    expect(read).toEqual([{ n: 1 }]);
    await session.close();
  });
});

describe('Consumer.plainSource', () => {
  it('reads records with keys, values and offsets, and shutdown closes the consumer', async () => {
    const topic = await topicWith(fixes.slice(0, 6).map((f) => ({ key: f.device_id, value: JSON.stringify(f) })), 1);
    const settings = ConsumerSettings.create(system, new StringDeserializer(), new StringDeserializer())
      .withGroupId(freshName('plain'))
      .withProperty('auto.offset.reset', 'earliest');
    const [control, first] = Consumer.plainSource(settings, Subscriptions.topics(topic)).take(6).toMat(Sink.seq(), Keep.both).run(system);
    const records = await first;
    expect(records.map((r) => [r.key, r.offset, JSON.parse(r.value!).ts])).toEqual(fixes.slice(0, 6).map((f, i) => [f.device_id, i, f.ts]));
    await control.isShutdown;
  });
});

describe('the kafkajs consumer behind Consumer sources', () => {
  it('pauses fetching while it holds maxBuffered records and resumes once polls drain half', async () => {
    const records = Array.from({ length: 600 }, (_, i) => ({ key: `k${i % 7}`, value: String(i) }));
    const topic = await topicWith(records, 1);
    const backend = kafkajsClientFactory({ brokers: [kafkaBootstrap()] }, { maxBuffered: 100 }).consumer({ group_id: freshName('bounded'), auto_offset_reset: 'earliest' });
    const view = backend as unknown as { bufferedRecords: number; isPaused: boolean };
    backend.subscribe([topic]);
    const first = await backend.poll(5000, 1);
    expect(first.map((r) => new TextDecoder().decode(r.value!))).toEqual(['0']);
    await until(async () => view.bufferedRecords, (n) => n >= 100);
    expect(view.isPaused).toBe(true);
    const taken: string[] = ['0'];
    while (view.bufferedRecords > 50) taken.push(...(await backend.poll(0, 10)).map((r) => new TextDecoder().decode(r.value!)));
    expect(view.isPaused).toBe(false);
    while (taken.length < 600) taken.push(...(await backend.poll(1000, 100)).map((r) => new TextDecoder().decode(r.value!)));
    expect(taken).toEqual(records.map((r) => r.value));
    await backend.close(false);
  });
});
