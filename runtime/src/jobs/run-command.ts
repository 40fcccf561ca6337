/**
 * `streamlab run FILE.ts`: runs a pipeline headless in the same isolated job process the workbench uses,
 * printing console output and one progress line per batch.
 *
 *   files := FILE.ts plus the other .ts files beside it (not tests), so relative imports work
 *   start → print run.log text and a summary per run.batch
 *   --max-batches N: stop after N batches;  --until-idle: process what is available now, then stop
 *   without Kafka, an error about Kafka is followed by one line saying how to give the run one
 *   exit 0 when stopped or finished, 1 when the run failed (the error printed with the learner position)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RuntimeConfig } from '../config.js';
import type { ServerEvent, ServerMessageOf } from '../protocol/index.js';
import { JobRun } from './job-run.js';
import type { JobServices } from './ipc.js';

/** Options of a headless run. */
export interface RunCommandOptions {
  file: string;
  maxBatches?: number;
  untilIdle: boolean;
  manual: boolean;
  /** Said after an error about Kafka when the run has none: how to give it one. */
  noKafkaHint?: string;
}

/** Runs the file; resolves with the exit code. */
export async function runPipelineFile(options: RunCommandOptions, config: RuntimeConfig, services: JobServices, io: { out(line: string): void; err(line: string): void }): Promise<number> {
  let entryContent: string;
  try {
    entryContent = readFileSync(options.file, 'utf8');
  } catch {
    io.err(`streamlab run: cannot read ${options.file}`);
    return 2;
  }
  const dir = dirname(options.file);
  const entry = basename(options.file);
  const files = [{ path: entry, content: entryContent }];
  for (const name of readdirSync(dir).sort()) {
    if (name === entry || !name.endsWith('.ts') || name.endsWith('.test.ts') || name.endsWith('.d.ts')) continue;
    files.push({ path: name, content: readFileSync(join(dir, name), 'utf8') });
  }
  let batches = 0;
  let failed = false;
  let run: JobRun | null = null;
  let stopping = false;
  const ended = new Promise<void>((resolve) => {
    const onEvent = (e: ServerEvent): void => {
      switch (e.kind) {
        case 'run.log':
          for (const line of e.text.replace(/\n$/, '').split('\n')) (e.level === 'error' || e.level === 'warn' ? io.err : io.out)(line);
          break;
        case 'run.batch': {
          batches++;
          io.out(batchLine(e));
          if (options.maxBatches !== undefined && batches >= options.maxBatches && !stopping) {
            stopping = true;
            void run?.stop();
          }
          break;
        }
        case 'run.error': {
          failed = true;
          const where = e.file ? `${e.file}:${e.line}:${e.column}: ` : '';
          io.err(`${where}${e.message}`);
          const frames = e.stack.split('\n').slice(1);
          for (const f of frames) io.err(f);
          if (options.noKafkaHint && /kafka/i.test(e.message)) io.err(options.noKafkaHint);
          break;
        }
        case 'run.status':
          if (e.state === 'running' && options.untilIdle && !stopping) {
            stopping = true;
            void run?.drain().then(() => run?.stop(), () => run?.stop());
          }
          if (e.state === 'stopped' || e.state === 'finished' || e.state === 'failed') resolve();
          break;
        default:
          break;
      }
    };
    run = new JobRun({ runId: 'cli', files, entry, mode: options.manual ? 'manual' : 'system', maxRows: config.limits.maxRowsPerBatch, limits: config.limits, services, onEvent });
  });
  const onSignal = () => void run?.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await run!.start();
    await ended;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return failed ? 1 : 0;
}

/** The one line printed per batch: what went in and out, and the watermark the batch ran with. */
function batchLine(e: ServerMessageOf<'run.batch'>): string {
  if (e.api === 'dstream') {
    return `[batch ${e.batchId} ${e.trace.batchTime}] ${e.trace.inputs.reduce((n, i) => n + i.records, 0)} input rows`;
  }
  const watermark = e.trace.watermark ? `, watermark ${new Date(e.trace.watermark.beforeMs).toISOString()}` : '';
  return `[batch ${e.batchId}${e.queryName ? ` ${e.queryName}` : ''}] ${e.progress.numInputRows} input rows, ${e.totalRows} output rows${watermark}`;
}
