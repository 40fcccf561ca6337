/**
 * Child-process entry for exports requested over the websocket. Exporting runs the learner's program
 * (up to `start()`), so the runtime never does it in its own process: this script reads
 * `{ files, entry, title }` as JSON on stdin and writes `{ ok, code, stubs }` or `{ ok: false,
 * message }` as JSON on stdout.
 */
import type { JobModel } from '../jobs/ipc.js';
import { exportProgramFiles } from './index.js';

interface Request {
  files: { path: string; content: string }[];
  entry: string;
  title?: string;
  models?: JobModel[];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  const request = JSON.parse(await readStdin()) as Request;
  const result = await exportProgramFiles(request.files, request.entry, { ...(request.title ? { title: request.title } : {}), models: request.models ?? [] });
  process.stdout.write(JSON.stringify({ ok: true, code: result.code, stubs: result.stubs, submit: result.submit }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, message: error instanceof Error ? error.message : String(error) }));
}
