/**
 * How `streamlab run` and `streamlab topics` find the running `streamlab start`: while it runs, the
 * start writes a small state file — its process id and the addresses of its Kafka and PostgreSQL —
 * and removes it when it stops.
 *
 *   where := <data dir>/runtime.json                        (a start with --data-dir / STREAMLAB_DATA_DIR)
 *          | <tmp>/streamlab-<user id>/runtime.json          (a start without one)
 *   found := the file of the command's own data directory (or the default one), whose process is alive
 *
 * The file is written with owner-only permissions: the PostgreSQL URL may carry a password. The token
 * is never written: the CLI talks to the services, not to the runtime.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** What a running start tells the CLI. */
export const runtimeState = z.object({
  pid: z.int().positive(),
  kafka: z.string().optional(),
  pg: z.string().optional(),
  /** The runtime's own address, without the token. */
  server: z.string().optional(),
});
/** What a running start tells the CLI. */
export type RuntimeState = z.infer<typeof runtimeState>;

/** The state file of a data directory, or the default one. */
export function runtimeStateFile(dataDir: string | undefined): string {
  if (dataDir) return join(dataDir, 'runtime.json');
  let uid: string;
  try {
    uid = String(userInfo().uid);
  } catch {
    uid = 'user';
  }
  return join(tmpdir(), `streamlab-${uid}`, 'runtime.json');
}

/** Writes the state file; resolves with a function that removes it (only if it is still this process's). */
export function writeRuntimeState(dataDir: string | undefined, state: RuntimeState): () => void {
  const file = runtimeStateFile(dataDir);
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return () => {
    if (readRuntimeState(file)?.pid === state.pid) rmSync(file, { force: true });
  };
}

function readRuntimeState(file: string): RuntimeState | null {
  try {
    const parsed = runtimeState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running start of `dataDir` (or the default one), or null when none runs. */
export function findRunningRuntime(dataDir: string | undefined): RuntimeState | null {
  const state = readRuntimeState(runtimeStateFile(dataDir));
  return state && alive(state.pid) ? state : null;
}

/** The one line a command says when it has no Kafka. */
export function noKafkaLine(command: string, dataDir: string | undefined): string {
  const where = dataDir ? `for the data directory ${dataDir}` : 'without a data directory (pass --data-dir DIR to look in one)';
  return `streamlab ${command}: no Kafka: no running "streamlab start" ${where}; start one, or pass --kafka host:port (or set STREAMLAB_KAFKA).`;
}
