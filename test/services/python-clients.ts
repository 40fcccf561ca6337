/**
 * kafka-python, the client the temperature tutorial's producers and dashboard use, in its own venv
 * under the download cache, for the integration tier's real-client tests:
 *
 *   <cache>/kafka-python-<ver>/venv/bin/python     the venv with `kafka-python==<ver>`
 *   <cache>/kafka-python-<ver>/streamlab-ready     written last: the install is complete
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './maven.js';

const pins = JSON.parse(readFileSync(new URL('./pins.json', import.meta.url), 'utf8')) as { kafkaPython: string };

/** The pinned kafka-python version. */
export const KAFKA_PYTHON_VERSION = pins.kafkaPython;

function home(): string {
  return join(process.env.STREAMLAB_CACHE_DIR || join(homedir(), '.cache', 'streamlab'), `kafka-python-${KAFKA_PYTHON_VERSION}`);
}

/** The venv's interpreter. */
export function kafkaPythonInterpreter(): string {
  return join(home(), 'venv', 'bin', 'python');
}

/** What is missing, in words, or undefined when kafka-python is ready. */
export function kafkaPythonProblem(): string | undefined {
  if (!existsSync(join(home(), 'streamlab-ready')) || !existsSync(kafkaPythonInterpreter())) {
    return `kafka-python ${KAFKA_PYTHON_VERSION} is not in the cache (${home()}); run \`npm run services:fetch\` (needs Python 3 and PyPI)`;
  }
  return undefined;
}

/** Installs kafka-python into its venv; idempotent. Throws with pip's output when it fails. */
export async function fetchKafkaPython(): Promise<{ action: 'cached' | 'fetched'; home: string }> {
  if (kafkaPythonProblem() === undefined) return { action: 'cached', home: home() };
  rmSync(home(), { recursive: true, force: true });
  mkdirSync(home(), { recursive: true });
  const venv = join(home(), 'venv');
  const mk = await runTool('python3', ['-m', 'venv', venv], home());
  if (mk.code !== 0) throw new Error(`python3 -m venv failed (exit ${mk.code}):\n${mk.output.trim().slice(-2000)}`);
  const pip = await runTool(kafkaPythonInterpreter(), ['-m', 'pip', 'install', '-q', `kafka-python==${KAFKA_PYTHON_VERSION}`], home());
  if (pip.code !== 0) {
    rmSync(home(), { recursive: true, force: true });
    throw new Error(`pip could not install kafka-python==${KAFKA_PYTHON_VERSION} (exit ${pip.code}):\n${pip.output.trim().slice(-4000)}`);
  }
  writeFileSync(join(home(), 'streamlab-ready'), `${KAFKA_PYTHON_VERSION}\n`);
  return { action: 'fetched', home: home() };
}
