/**
 * A synchronous Kafka reader for static reads (`spark.read.format("kafka").load()` returns a
 * DataFrame at once, as in PySpark). The async kafkajs reader runs in a worker thread; the caller
 * blocks until each answer is there (docs/decisions/0005-static-kafka-reads.md):
 *
 *   caller                                   worker (sync-reader-worker.ts)
 *   signal[0] = 0; port.postMessage(req)  →  await the kafkajs reader
 *   Atomics.wait(signal, 0, 0, timeout)   ←  port.postMessage(res); signal[0] = 1; notify
 *   receiveMessageOnPort(port) → res
 *
 * The caller's event loop does not run while it waits, so the answer is taken off the port
 * directly. A wait that times out (say the broker is unreachable) ends the worker and throws
 * {@link KafkaReadTimeoutError}; `close()` ends the worker after a read.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { besideModule, startModuleWorker } from '../../jobs/module-worker.js';
import { KafkaDataLossError } from '../../engine/kafka/data-loss.js';
import type { KafkaOffsetRange, KafkaRecord, KafkaSyncPartitionReader, PartitionInfo } from '../../engine/kafka/partition-reader.js';
import type { KafkaConnection } from './kafka-connection.js';
import { KafkaUnavailableError } from './retry.js';
import type { SyncReaderRequest, SyncReaderResponse, SyncReaderWorkerData } from './sync-reader-worker.js';

/** A static read did not finish in time. */
export class KafkaReadTimeoutError extends Error {
  /** Stable code for the workbench. */
  readonly code = 'KAFKA_TIMEOUT';
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutException';
  }
}

/** Options of {@link SyncKafkaReader}. */
export interface SyncKafkaReaderOptions {
  /** Spark's `failOnDataLoss`. */
  failOnDataLoss: boolean;
  /** How long one step (listing partitions, reading the ranges) may take (default 60 s). */
  timeoutMs?: number;
  /** Receives the reader's data-loss warnings (failOnDataLoss=false). */
  warn?: (message: string) => void;
}

/**
 * How the worker is started: compiled JavaScript runs as is, from the file beside this one with the
 * same extension (the job process's bundle ships `sync-reader-worker.mjs` next to `job-child.mjs`);
 * TypeScript sources go through tsx.
 */
function startWorker(data: Omit<SyncReaderWorkerData, never>, transfer: MessagePort[]): Worker {
  return startModuleWorker(besideModule(import.meta.url, 'sync-reader-worker'), { workerData: data, transferList: transfer });
}

/** The engine's synchronous reader interface over kafkajs, one worker per instance. */
export class SyncKafkaReader implements KafkaSyncPartitionReader {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly timeoutMs: number;
  private readonly warn: (message: string) => void;
  private nextId = 1;
  private closed = false;

  constructor(private readonly connection: KafkaConnection, options: SyncKafkaReaderOptions) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.warn = options.warn ?? ((m) => console.warn(m));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = startWorker(
      {
        port: port2,
        signal: this.signal,
        connection,
        failOnDataLoss: options.failOnDataLoss,
        // Longer than the wait, so an unreachable broker ends in the timeout below, not in a retry error.
        retryDeadlineMs: this.timeoutMs + 5_000,
      },
      [port2],
    );
    // Neither keeps the process alive: a forgotten close() must not hold a script open.
    this.worker.unref();
    this.port.unref();
  }

  listPartitionsSync(query: { topics?: readonly string[]; pattern?: string }): PartitionInfo[] {
    return this.call({ id: 0, op: 'listPartitions', args: query }, 'listing partitions') as PartitionInfo[];
  }

  readRangesSync(ranges: readonly KafkaOffsetRange[]): KafkaRecord[][] {
    return this.call({ id: 0, op: 'readRanges', args: ranges }, 'reading records') as KafkaRecord[][];
  }

  /** Closes the Kafka connections and ends the worker. */
  close(): void {
    if (this.closed) return;
    try {
      this.call({ id: 0, op: 'close' }, 'closing', Math.min(this.timeoutMs, 5_000));
    } catch {
      // Ending the worker closes its sockets anyway.
    } finally {
      this.end();
    }
  }

  private end(): void {
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }

  private call(request: SyncReaderRequest, action: string, timeoutMs = this.timeoutMs): unknown {
    if (this.closed) throw new Error('The Kafka reader is closed');
    const id = this.nextId++;
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ ...request, id });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const woke = Atomics.wait(this.signal, 0, 0, Math.max(0, deadline - Date.now()));
      const message = receiveMessageOnPort(this.port);
      if (message) {
        const response = message.message as SyncReaderResponse;
        if (response.id !== id) continue;
        for (const w of response.warnings) this.warn(w);
        if (response.ok) return response.value;
        throw revive(response.error);
      }
      if (woke === 'timed-out' || Date.now() >= deadline) {
        this.end();
        throw new KafkaReadTimeoutError(
          `Timed out after ${Math.round(timeoutMs / 1000)} s ${action} from Kafka at ${this.connection.brokers.join(',')}: the broker did not answer. Check that Kafka is running and reachable.`,
        );
      }
      // Woken without a message (a stale signal): wait again.
      Atomics.store(this.signal, 0, 0);
    }
  }
}

function revive(e: Extract<SyncReaderResponse, { ok: false }>['error']): Error {
  if (e.code === 'KAFKA_DATA_LOSS' && e.detail !== undefined) return new KafkaDataLossError(e.detail, e.topic ?? '', e.partition ?? -1);
  if (e.code === 'KAFKA_UNAVAILABLE') return new KafkaUnavailableError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code !== undefined) (err as Error & { code?: string }).code = e.code;
  return err;
}
