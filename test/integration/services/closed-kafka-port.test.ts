/**
 * A run pointed at a Kafka that is not there must fail fast with a message that says so, instead of
 * hanging or quietly starting another broker. This runs a real child vitest on the Kafka smoke test
 * with STREAMLAB_KAFKA naming a closed port.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../services/free-port.js';
import { databaseUrl } from '../../services/inject.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function runChild(env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn('npx', ['vitest', 'run', '--project', 'integration', 'test/integration/smoke/kafka-roundtrip.test.ts'], {
      cwd: repoRoot,
      env,
      // The 30 s budget: a child still running then is killed, and the signal assertion below fails.
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

describe('external Kafka that does not answer', () => {
  it('fails the test run within 30 s, naming STREAMLAB_KAFKA and how to fix it', async () => {
    // Nothing listens on a port the kernel just handed out and took back.
    const closed = `127.0.0.1:${await freePort()}`;
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'KAFKA_BROKERS') env[k] = v;
    Object.assign(env, {
      STREAMLAB_KAFKA: closed,
      // The run's own PostgreSQL, as an external service, so the child starts nothing.
      DATABASE_URL: databaseUrl(),
      STREAMLAB_SERVICES: 'auto',
      CI: 'true',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    });

    const { code, signal, output } = await runChild(env);

    expect(signal, `the child was killed after 30 s; output:\n${output}`).toBeNull();
    expect(code).not.toBe(0);
    expect(output).toContain('kafka: no working Kafka for the tests. Tried, in order:');
    expect(output).toContain(`- external: STREAMLAB_KAFKA=${closed} is unhealthy:`);
    expect(output).toContain(`start the service at ${closed}, or correct STREAMLAB_KAFKA`);
    expect(output).toContain('or unset STREAMLAB_KAFKA to let the tests start their own kafka');
    // It must not have fallen back to starting a broker, nor run the smoke tests against one.
    expect(output).not.toContain('services: kafka=');
    expect(output).not.toMatch(/Tests\s+\d+ passed/);
  });
});
