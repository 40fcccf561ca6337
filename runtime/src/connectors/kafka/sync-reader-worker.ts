/**
 * Worker-thread side of {@link SyncKafkaReader}: runs the async kafkajs partition reader and hands
 * each answer back to the blocked caller.
 *
 * Contract, per request `{ id, op, args }` received on `workerData.port`:
 *   1. run the operation (listPartitions | readRanges | close)
 *   2. post `{ id, ok: true, value }` or `{ id, ok: false, error }` on the port
 *   3. set `workerData.signal[0]` to 1 and notify it: the caller, waiting in Atomics.wait, wakes
 *      and takes the message with receiveMessageOnPort (its event loop never runs meanwhile)
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { KafkaConnection } from './kafka-connection.js';
import { KafkajsReaderAdapter } from './kafka-formats.js';
import type { KafkaOffsetRange } from '../../engine/kafka/partition-reader.js';

/** What the caller passes to the worker. */
export interface SyncReaderWorkerData {
  port: MessagePort;
  signal: Int32Array;
  connection: KafkaConnection;
  failOnDataLoss: boolean;
  retryDeadlineMs: number;
}

/** One request. */
export type SyncReaderRequest =
  | { id: number; op: 'listPartitions'; args: { topics?: readonly string[]; pattern?: string } }
  | { id: number; op: 'readRanges'; args: readonly KafkaOffsetRange[] }
  | { id: number; op: 'close' };

/** One answer; errors travel as plain data (name, message, code, and data-loss details). */
export type SyncReaderResponse =
  | { id: number; ok: true; value: unknown; warnings: string[] }
  | { id: number; ok: false; error: { name: string; message: string; code?: string; detail?: string; topic?: string; partition?: number }; warnings: string[] };

const data = workerData as SyncReaderWorkerData;
let warnings: string[] = [];
const reader = new KafkajsReaderAdapter(data.connection, {
  failOnDataLoss: data.failOnDataLoss,
  retryDeadlineMs: data.retryDeadlineMs,
  warn: (m) => warnings.push(m),
});

function answer(response: SyncReaderResponse): void {
  data.port.postMessage(response);
  Atomics.store(data.signal, 0, 1);
  Atomics.notify(data.signal, 0);
}

data.port.on('message', (request: SyncReaderRequest) => {
  void (async () => {
    try {
      let value: unknown;
      if (request.op === 'listPartitions') value = await reader.listPartitions(request.args);
      else if (request.op === 'readRanges') value = await Promise.all(request.args.map((r) => reader.read(r.topic, r.partition, r.from, r.until)));
      else {
        await reader.close();
        value = null;
      }
      answer({ id: request.id, ok: true, value, warnings });
    } catch (e) {
      const err = e as Error & { code?: string; detail?: string; topic?: string; partition?: number };
      answer({
        id: request.id,
        ok: false,
        error: { name: err.name ?? 'Error', message: err.message ?? String(e), code: err.code, detail: err.detail, topic: err.topic, partition: err.partition },
        warnings,
      });
    } finally {
      warnings = [];
    }
  })();
});
