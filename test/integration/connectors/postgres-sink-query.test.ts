/**
 * `writeStream.format("postgres")` in a running query while PostgreSQL goes down: the batch fails,
 * the query stops with a clear error, and a restart from the checkpoint replays the batch once.
 */
import { FormatRegistry } from '../../../runtime/src/engine/formats.js';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { freshTopic, kafkaBootstrap } from '../../services/inject.js';
import { startEmbeddedPostgres } from '../../../runtime/src/connectors/postgres/embedded.js';
import { registerConnectors } from '../../../runtime/src/connectors/index.js';
import { KafkaWriter } from '../../../runtime/src/connectors/kafka/kafka-writer.js';
import { fileCheckpointResolver } from '../../../runtime/src/checkpoint/index.js';
import { ManualClock } from '../../../runtime/src/engine/clock.js';
import { SparkSession } from '../../../runtime/src/engine/structured/index.js';
import * as F from '../../../runtime/src/engine/structured/functions.js';
import { createTopicReady } from '../../services/create-topic.js';

/** The formats this file's sessions know. */
const formats = FormatRegistry.withBuiltIns();

describe('PostgreSQL sink in a query while PostgreSQL is down', () => {
  it('fails the batch clearly, then a restarted query replays it without duplicates', async () => {
    const topic = freshTopic('pg-down');
    const kafka = { brokers: [kafkaBootstrap()] };
    const admin = new Kafka({ ...kafka, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicReady(admin, topic, 1);
    await admin.disconnect();
    const writer = new KafkaWriter(kafka, { topic });

    const pgDir = join(tmpdir(), `streamlab-pg-sink-${Date.now()}`);
    const ckpt = mkdtempSync(join(tmpdir(), 'streamlab-pg-sink-ckpt-'));
    let server = await startEmbeddedPostgres({ dataDir: pgDir, persistent: true });
    const connectors = registerConnectors(formats, { kafka, postgres: { url: server.url } });
    const start = () => {
      const spark = SparkSession.builder.formats(formats).clock(new ManualClock(0)).checkpointResolver(fileCheckpointResolver()).getOrCreate();
      return spark.readStream
        .format('kafka')
        .option('kafka.bootstrap.servers', 'kafka:9092')
        .option('subscribe', topic)
        .option('startingOffsets', 'earliest')
        .load()
        .selectExpr('CAST(value AS STRING) AS node_name')
        .groupBy('node_name')
        .agg(F.count('*').alias('n'))
        .writeStream.format('postgres')
        .outputMode('update')
        .option('url', 'jdbc:postgresql://postgres:5432/streamlab')
        .option('table', 'node_counts')
        .option('primaryKey', 'node_name')
        .option('checkpointLocation', ckpt)
        .start();
    };
    try {
      await writer.write(Array.from({ length: 30 }, (_, i) => ({ value: `node-${i % 3}` })));
      const q1 = start();
      await q1.processAllAvailable();

      await server.stop();
      await writer.write(Array.from({ length: 6 }, (_, i) => ({ value: `node-${i % 2}` })));
      const error = await q1.processAllAvailable().catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toContain(`PostgreSQL is not reachable at 127.0.0.1:${server.port}`);
      expect(error!.message).toContain('while writing batch 1 to table node_counts');
      expect(q1.isActive).toBe(false);
      await q1.stop();

      server = await startEmbeddedPostgres({ dataDir: pgDir, port: server.port, persistent: true });
      const q2 = start();
      await q2.processAllAvailable();
      await q2.stop();
      // The restarted query has the same id (from its checkpoint), so its commits continue q1's.
      expect(q2.id).toBe(q1.id);

      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        const counts = await client.query({ text: 'SELECT node_name, n FROM node_counts ORDER BY node_name', rowMode: 'array' });
        expect(counts.rows).toEqual([['node-0', '13'], ['node-1', '13'], ['node-2', '10']]);
        const commits = await client.query({ text: 'SELECT query_id, batch_id FROM streamlab_commits ORDER BY 2', rowMode: 'array' });
        expect(commits.rows).toEqual([[q1.id, '0'], [q1.id, '1']]);
      } finally {
        await client.end();
      }
    } finally {
      await writer.close();
      await connectors.close();
      await server.stop();
      rmSync(pgDir, { recursive: true, force: true });
      rmSync(ckpt, { recursive: true, force: true });
    }
  });
});
