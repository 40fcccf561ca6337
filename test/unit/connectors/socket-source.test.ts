/**
 * The socket source of Spark's classic word count, against a TCP server on this machine: lines become
 * rows as they arrive (a line split across two packets is one row), and hosts other than this machine
 * are refused before anything connects.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackSocketConnector } from '../../../runtime/src/connectors/socket/socket-connector.js';
import { socketSourceProvider } from '../../../runtime/src/engine/sources/socket-source.js';
import { functions as F, SparkSession } from '../../../runtime/src/streamlab.js';

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function session(): SparkSession {
  const spark = SparkSession.builder.output(() => undefined).create();
  spark.formats.registerSource('socket', socketSourceProvider(loopbackSocketConnector));
  return spark;
}

/** A server that hands its first connection to `onClient`; resolves with its port. */
function listen(onClient: (s: Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    server = createServer(onClient);
    server.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port));
  });
}

describe('the socket source', () => {
  it('counts the words of the lines a server sends, as the word count of Spark\'s guide', async () => {
    let client: Socket | null = null;
    let accepted!: () => void;
    const connected = new Promise<void>((resolve) => (accepted = resolve));
    const port = await listen((s) => {
      client = s;
      accepted();
    });
    const spark = session();
    const lines = spark.readStream.format('socket').option('host', 'localhost').option('port', port).load();
    expect(lines.columns).toEqual(['value']);
    const words = lines.select(F.explode(F.split(lines.col('value'), ' ')).alias('word'));
    const totals: Array<Record<string, number>> = [];
    spark.formats.registerSink('collect', { createSink: () => ({ addBatch: (b) => void totals.push(Object.fromEntries(b.rows.map((r) => [r[0] as string, r[1] as number]))) }) });
    const q = words.groupBy('word').count().writeStream.outputMode('complete').format('collect').start();
    await connected;
    client!.write('apache spark\napache ha');
    client!.write('doop\r\n');
    // Waits for the rows, not for a time: every batch the lines cause is counted.
    while (JSON.stringify(totals.at(-1)) !== JSON.stringify({ apache: 2, spark: 1, hadoop: 1 })) {
      await q.processAllAvailable();
      await new Promise((r) => setTimeout(r, 5));
    }
    await q.stop();
    await spark.stop();
    client!.destroy();
  });

  it('refuses a host that is not this machine, and says when nothing listens', async () => {
    const spark = session();
    const away = spark.readStream.format('socket').option('host', 'example.com').option('port', 9999).load().writeStream.format('noop').start();
    await expect(away.awaitTermination()).rejects.toThrow('The socket source reads from this machine only: use option("host", "localhost") instead of "example.com".');
    const port = await listen(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    const nobody = spark.readStream.format('socket').option('host', '127.0.0.1').option('port', port).load().writeStream.format('noop').start();
    await expect(nobody.awaitTermination()).rejects.toThrow(`Connection refused: 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(() => spark.readStream.format('socket').option('port', 1).load()).toThrow('Set a host to read from with option("host", ...).');
    expect(() => spark.readStream.format('socket').option('host', 'localhost').load()).toThrow('Set a port to read from with option("port", ...).');
    await spark.stop();
  });
});
