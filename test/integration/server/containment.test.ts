/**
 * Learner code that misbehaves ends its own run with a clear message; the server and the next run keep
 * working. Each case runs on the same server, followed by a run that prints a line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/src/config.js';
import { startRuntimeServer, type RuntimeServer } from '../../../runtime/src/server/runtime-server.js';
import type { ServerMessage } from '../../../runtime/src/protocol/index.js';
import { TestClient } from './ws-client.js';

const TOKEN = 'containment-test-token-01234';
/** Most characters of a learner error's message the runtime passes on. */
const LEARNER_TEXT_CHARS = 10_000;
let server: RuntimeServer;
let client: TestClient;

beforeAll(async () => {
  server = await startRuntimeServer({ config: resolveConfig({ port: 0, token: TOKEN, limits: { blockedMs: 5000 } }), services: {} });
  client = await TestClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`);
  await client.hello();
});

afterAll(async () => {
  await client?.close();
  await server?.close();
});

async function run(content: string, files: { path: string; content: string }[] = []): Promise<ServerMessage[]> {
  const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content }, ...files], mode: 'system' });
  if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
  await client.runEnded(reply.runId);
  return client.eventsOf(reply.runId).map((e) => {
    const { runId: _runId, ...rest } = e as ServerMessage & { runId: string };
    return rest as ServerMessage;
  });
}

function failure(error: { message: string; code: string; file?: string | null; line?: number | null; column?: number | null; stack?: string }): ServerMessage[] {
  return [
    { kind: 'run.status', state: 'compiling' },
    { kind: 'run.status', state: 'starting' },
    { kind: 'run.status', state: 'running' },
    { kind: 'run.error', file: null, line: null, column: null, stack: error.message, ...error },
    { kind: 'run.status', state: 'failed' },
  ] as ServerMessage[];
}

/** The run after each bad one: proves the runtime still runs pipelines. */
async function expectHealthyRun(): Promise<void> {
  expect(await run('console.log("still here", 6 * 7);\n')).toEqual([
    { kind: 'run.status', state: 'compiling' },
    { kind: 'run.status', state: 'starting' },
    { kind: 'run.status', state: 'running' },
    { kind: 'run.log', level: 'log', text: 'still here 42' },
    { kind: 'run.status', state: 'finished' },
  ]);
}

describe('containment', () => {
  it('a synchronous infinite loop: stopped from inside, at its line', async () => {
    const message = 'This loop ran for more than 1.5 s without finishing, so the pipeline was stopped: check its condition.';
    expect(await run('let n = 0;\nwhile (true) { n++; }\n')).toEqual(failure({
      message, code: 'unresponsive', file: 'pipeline.ts', line: 2, column: 14, stack: `${message}\n    at pipeline.ts:2:14`,
    }));
    await expectHealthyRun();
  });

  it('an asynchronous infinite loop that never yields to the event loop', async () => {
    const message = 'This loop ran for more than 1.5 s without finishing, so the pipeline was stopped: check its condition.';
    expect(await run('async function spin() {\n  for (;;) await Promise.resolve();\n}\nvoid spin();\n')).toEqual(failure({
      message, code: 'unresponsive', file: 'pipeline.ts', line: 2, column: 12, stack: `${message}\n    at spin (pipeline.ts:2:12)`,
    }));
    await expectHealthyRun();
  });

  it('blocking without a loop: the watchdog stops it', async () => {
    const message = 'Your pipeline stopped responding for 5 s without using the CPU and was stopped: look for a wait that never ends.';
    expect(await run('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);\n')).toEqual(failure({ message, code: 'unresponsive' }));
    await expectHealthyRun();
  });

  it('unbounded allocation', async () => {
    const message = 'Your pipeline used more than 256 MB and was stopped.';
    expect(await run('const keep: number[][] = [];\nfor (;;) keep.push(new Array(1_000_000).fill(1.5));\n')).toEqual(failure({ message, code: 'out-of-memory' }));
    await expectHealthyRun();
  });

  it('process.exit', async () => {
    const message = 'process.exit() is not available in a pipeline: stop the query instead (query.stop() or the Stop button).';
    expect(await run('console.log("bye");\nprocess.exit(0);\n')).toEqual([
      { kind: 'run.status', state: 'compiling' },
      { kind: 'run.status', state: 'starting' },
      { kind: 'run.status', state: 'running' },
      { kind: 'run.log', level: 'log', text: 'bye' },
      { kind: 'run.error', message, code: 'process-exit', file: 'pipeline.ts', line: 2, column: 9, stack: `${message}\n    at pipeline.ts:2:9` },
      { kind: 'run.status', state: 'failed' },
    ]);
    await expectHealthyRun();
  });

  it('a throw in a user function points at the learner line, across files', async () => {
    const util = { path: 'checks.ts', content: 'export function checkTemperature(t: number): number {\n  if (t > 100) {\n    throw new Error(`impossible temperature ${t}`);\n  }\n  return t;\n}\n' };
    const events = await run('import { checkTemperature } from "./checks.js";\n\nconst readings = [21, 19, 150];\nfor (const r of readings) checkTemperature(r);\n', [util]);
    expect(events).toEqual(failure({
      message: 'impossible temperature 150',
      code: 'runtime-error',
      file: 'checks.ts',
      line: 3,
      column: 11,
      stack: 'impossible temperature 150\n    at checkTemperature (checks.ts:3:11)\n    at pipeline.ts:4:27',
    }));
    await expectHealthyRun();
  });

  it('reading a file: importing fs is refused at compile time', async () => {
    const message = 'Only "streamlab" and your own files can be imported; "node:fs" is not available in a pipeline.';
    expect(await run('import { readFileSync } from "node:fs";\nconsole.log(readFileSync("/etc/passwd", "utf8"));\n')).toEqual([
      { kind: 'run.status', state: 'compiling' },
      { kind: 'run.error', message, code: 'import-not-allowed', file: 'pipeline.ts', line: 1, column: 30, stack: `${message}\n    at pipeline.ts:1:30\n    import { readFileSync } from "node:fs";` },
      { kind: 'run.status', state: 'failed' },
    ]);
    await expectHealthyRun();
  });

  it('reading a file: require at run time is refused', async () => {
    const message = 'Only "streamlab" and your own files can be imported; "fs" is not available in a pipeline.';
    expect(await run('declare const require: (m: string) => unknown;\nconst name = ["f", "s"].join("");\nrequire(name);\n')).toEqual(failure({
      message, code: 'import-not-allowed', file: 'pipeline.ts', line: 3, column: 1, stack: `${message}\n    at pipeline.ts:3:1`,
    }));
    await expectHealthyRun();
  });

  it('reading a file: the Function-constructor escape out of the sandbox is closed', async () => {
    const message = 'Pipelines cannot turn strings into code (eval, new Function).';
    const escape = 'const proc = (globalThis as any).constructor.constructor("return process")();\nconsole.log(proc.getBuiltinModule("fs").readFileSync("/etc/passwd", "utf8"));\n';
    expect(await run(escape)).toEqual(failure({
      message, code: 'sandbox-violation', file: 'pipeline.ts', line: 1, column: 46, stack: `${message}\n    at pipeline.ts:1:46`,
    }));
    await expectHealthyRun();
  });

  it('TextEncoder and TextDecoder work, and are the realm\'s own: no way through them reaches the process', async () => {
    const code = `const bytes = new TextEncoder().encode("Node Name: sensor-1, 21.5 °C");
console.log(new TextDecoder().decode(bytes), bytes.length);
const tried: string[] = [];
for (const escape of [
  () => (new TextEncoder() as any).constructor.constructor("return process")(),
  () => (bytes as any).constructor.constructor("return process")(),
  () => (TextDecoder as any).prototype.decode.constructor("return process")(),
  () => { try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([255])); } catch (e) { return (e as any).constructor.constructor("return process")(); } },
]) {
  try { tried.push(typeof escape()); } catch (e) { tried.push((e as Error).name); }
}
console.log(tried.join(" "));
`;
    expect(await run(code)).toEqual([
      { kind: 'run.status', state: 'compiling' },
      { kind: 'run.status', state: 'starting' },
      { kind: 'run.status', state: 'running' },
      { kind: 'run.log', level: 'log', text: 'Node Name: sensor-1, 21.5 °C 29' },
      { kind: 'run.log', level: 'log', text: 'EvalError EvalError EvalError EvalError' },
      { kind: 'run.status', state: 'finished' },
    ]);
  });

  it('reading environment variables', async () => {
    const message = 'Pipelines cannot read environment variables: the runtime connects Kafka and PostgreSQL for you.';
    expect(await run('const home = process.env.HOME;\nconsole.log(home);\n')).toEqual(failure({
      message, code: 'env-not-available', file: 'pipeline.ts', line: 1, column: 22, stack: `${message}\n    at pipeline.ts:1:22`,
    }));
    await expectHealthyRun();
  });

  it('a compile error carries the learner position', async () => {
    expect(await run('const x: number = 1;\nconst y = x +;\n')).toEqual([
      { kind: 'run.status', state: 'compiling' },
      { kind: 'run.error', message: 'Unexpected ";"', code: 'compile-error', file: 'pipeline.ts', line: 2, column: 14, stack: 'Unexpected ";"\n    at pipeline.ts:2:14\n    const y = x +;' },
      { kind: 'run.status', state: 'failed' },
    ]);
    await expectHealthyRun();
  });

  it('stopping a run that waits on a timer', async () => {
    const reply = await client.request({ kind: 'run.start', files: [{ path: 'pipeline.ts', content: 'setInterval(() => console.log("tick"), 10_000);\n' }], mode: 'system' });
    if (reply.kind !== 'run.start.ok') throw new Error(JSON.stringify(reply));
    await client.waitFor((m) => m.kind === 'run.status' && m.runId === reply.runId && m.state === 'running');
    expect(await client.request({ kind: 'run.stop', runId: reply.runId })).toMatchObject({ kind: 'run.stop.ok', runId: reply.runId });
    expect((await client.runEnded(reply.runId)).state).toBe('stopped');
    await expectHealthyRun();
  });

  it('a thrown error with a huge message, a huge name and a code that is no string: cut, on the learner line', async () => {
    const events = await run([
      'const e = new Error(`${"m".repeat(3_000_000)}\\n${"second line ".repeat(100_000)}`);',
      'e.name = "N".repeat(1_000_000);',
      '(e as unknown as { code: unknown }).code = { toString() { throw new Error("no"); } };',
      'throw e;',
      '',
    ].join('\n'));
    const error = events.find((e) => e.kind === 'run.error') as Extract<ServerMessage, { kind: 'run.error' }>;
    // Where the error was made.
    expect([error.code, error.file, error.line]).toEqual(['runtime-error', 'pipeline.ts', 1]);
    // The learner reads the start of what they threw, and how much more there was.
    expect(error.message).toBe(`${'m'.repeat(LEARNER_TEXT_CHARS)}… (${3_000_000 + 1 + 1_200_000 - LEARNER_TEXT_CHARS} more characters)`);
    expect(error.stack.length).toBeLessThan(LEARNER_TEXT_CHARS + 1000);
    expect(JSON.stringify(events).length).toBeLessThan(3 * LEARNER_TEXT_CHARS);
    await expectHealthyRun();
  });

  it('a thrown object whose every property, toString and Symbol.toPrimitive throw', async () => {
    const events = await run([
      'const refuse = () => { throw new Error("refused"); };',
      'throw new Proxy({}, { get: refuse, has: refuse, getPrototypeOf: refuse, ownKeys: refuse, getOwnPropertyDescriptor: refuse });',
      '',
    ].join('\n'));
    expect(events).toEqual(failure({ message: 'Your pipeline threw a value that cannot be shown: its properties or its conversion to text threw.', code: 'runtime-error' }));
    await expectHealthyRun();
  });

  it('never sent an invalid message', () => {
    expect(client.invalid).toEqual([]);
  });
});
