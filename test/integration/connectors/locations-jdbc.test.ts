/**
 * The locations pipeline: GPS fixes from Kafka are cast and parsed, and each micro-batch is
 * appended to PostgreSQL from `foreachBatch` through the JDBC writer, in several batches.
 */
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { databaseUrl, freshName, freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { SparkSession, type DataFrame } from '../../../runtime/src/engine/structured/index.js';
import * as F from '../../../runtime/src/engine/structured/functions.js';
import { registerConnectors, type RegisteredConnectors } from '../../../runtime/src/connectors/index.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import { KafkajsPartitionReader } from '../../../runtime/src/connectors/kafka/partition-reader.js';
import { createTopicReady } from '../../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

describe('locations pipeline: Kafka → parse → foreachBatch JDBC append', () => {
  let connectors: RegisteredConnectors;
  let client: pg.Client;

  beforeAll(async () => {
    connectors = registerConnectors(formats, { kafka: { brokers: [kafkaBootstrap()] }, postgres: { url: databaseUrl() } });
    client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await connectors.close();
  });

  it('writes with the PySpark shorthand batchDf.write.jdbc(url, table, mode, properties)', async () => {
    const table = freshName('locations_jdbc');
    const url = new URL(databaseUrl());
    const jdbcUrl = `jdbc:postgresql://${url.host}${url.pathname}`;
    const properties = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), driver: 'org.postgresql.Driver' };
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const fixes = spark.createDataFrame([['bus-1', 48.85], ['bus-2', 48.86]], 'device STRING, lat DOUBLE');
    await fixes.write.jdbc(jdbcUrl, table, 'append', properties);
    await fixes.where("device = 'bus-2'").write.jdbc(jdbcUrl, table, 'append', properties);
    const rows = await client.query(`select device, lat from ${table} order by device, lat`);
    expect(rows.rows).toEqual([{ device: 'bus-1', lat: 48.85 }, { device: 'bus-2', lat: 48.86 }, { device: 'bus-2', lat: 48.86 }]);
    await fixes.write.jdbc(jdbcUrl, table, 'overwrite', properties);
    expect((await client.query(`select count(*)::int as n from ${table}`)).rows).toEqual([{ n: 2 }]);
  });

  it('appends every fix once, with the schema mapped to PostgreSQL types', async () => {
    const topic = freshTopic('locations');
    const admin = new Kafka({ brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicReady(admin, topic, 2);
    await admin.disconnect();
    const t0 = Date.UTC(2024, 5, 1, 12);
    const fixes = Array.from({ length: 500 }, (_, i) => ({ device: `bus-${i % 4}`, lat: 48.85 + i / 10_000, lon: 2.35 - i / 20_000, ts: new Date(t0 + i * 1000).toISOString() }));
    const writer = new KafkaWriter({ brokers: [kafkaBootstrap()] }, { topic });
    await writer.write(fixes.map((f, i) => ({ key: f.device, value: JSON.stringify(f), partition: i % 2 })));
    await writer.close();

    const table = freshName('locations');
    const batchSizes: number[] = [];
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const q = spark.readStream
      .format('kafka')
      .option('kafka.bootstrap.servers', 'kafka:9092')
      .option('subscribe', topic)
      .option('startingOffsets', 'earliest')
      .option('maxOffsetsPerTrigger', 120)
      .load()
      .selectExpr('CAST(key AS STRING) AS device_id', 'CAST(value AS STRING) AS json')
      .select('device_id', F.from_json(F.col('json'), 'lat DOUBLE, lon DOUBLE, ts TIMESTAMP').alias('fix'))
      .select('device_id', 'fix.lat', 'fix.lon', 'fix.ts')
      .writeStream.foreachBatch(async (batchDf: DataFrame) => {
        batchSizes.push(batchDf.count());
        // As the seed job does; the runtime's database wins over the URL and credentials typed here.
        await batchDf.write
          .format('jdbc')
          .option('url', 'jdbc:postgresql://postgres:5432/streamlab')
          .option('dbtable', table)
          .option('user', 'spark')
          .option('password', 'spark')
          .mode('append')
          .save();
      })
      .start();
    try {
      await q.processAllAvailable();
    } finally {
      await q.stop();
    }
    expect(batchSizes).toEqual([120, 120, 120, 120, 20]);
    const types = await client.query({ text: 'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', values: [table], rowMode: 'array' });
    expect(types.rows).toEqual([
      ['device_id', 'text'],
      ['lat', 'double precision'],
      ['lon', 'double precision'],
      ['ts', 'timestamp without time zone'],
    ]);
    const rows = await client.query({ text: `SELECT device_id, lat, lon, ts AT TIME ZONE 'UTC' FROM ${table} ORDER BY ts`, rowMode: 'array' });
    expect(rows.rows).toEqual(fixes.map((f) => [f.device, f.lat, f.lon, new Date(f.ts)]));
  });

  it('writes static DataFrames with df.write to PostgreSQL (save modes) and to Kafka', async () => {
    const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).getOrCreate();
    const table = freshName('stops');
    const df = spark.createDataFrame([['s1', 3], ['s2', 5]], 'stop STRING, riders INT');
    const jdbc = (mode: string) =>
      df.write.format('jdbc').option('url', 'jdbc:postgresql://postgres:5432/streamlab').option('dbtable', table).mode(mode).save();
    await jdbc('errorifexists');
    await expect(jdbc('errorifexists')).rejects.toThrow(`Table or view '${table}' already exists. SaveMode: ErrorIfExists.`);
    await jdbc('append');
    await jdbc('ignore');
    const rows = await client.query({ text: `SELECT stop, riders FROM ${table} ORDER BY stop`, rowMode: 'array' });
    expect(rows.rows).toEqual([['s1', 3], ['s1', 3], ['s2', 5], ['s2', 5]]);
    await jdbc('overwrite');
    expect((await client.query({ text: `SELECT count(*)::int FROM ${table}`, rowMode: 'array' })).rows).toEqual([[2]]);

    const topic = freshTopic('stops');
    await df.selectExpr('stop AS key', 'CAST(riders AS STRING) AS value').write.format('kafka').option('kafka.bootstrap.servers', 'kafka:9092').option('topic', topic).save();
    const reader = new KafkajsPartitionReader({ brokers: [kafkaBootstrap()] });
    try {
      expect(await reader.partitionOffsets([topic])).toEqual([{ topic, partition: 0, earliest: 0, latest: 2 }]);
      const records = await reader.read({ topic, partition: 0, from: 0, until: 2 });
      expect(records.map((r) => [Buffer.from(r.key!).toString(), Buffer.from(r.value!).toString()])).toEqual([['s1', '3'], ['s2', '5']]);
    } finally {
      await reader.close();
    }
  });
});
