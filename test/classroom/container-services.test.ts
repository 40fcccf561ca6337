/**
 * The container provider of the test services (`test/services/containers.ts`) on this tier's Docker
 * daemon. A vitest run of the integration tier's smoke files and the classroom's per-student schema
 * test, with STREAMLAB_SERVICES=containers: its global setup starts Kafka from KAFKA_IMAGE and
 * PostgreSQL from POSTGRES_IMAGE through testcontainers, the files pass against them, and the
 * containers are gone at the end.
 *
 * testcontainers' reaper (Ryuk) is an image from a registry, so it is turned off
 * (TESTCONTAINERS_RYUK_DISABLED); the provider stops its containers itself, which the last assertion
 * checks. Skips, saying why, when no Docker daemon answers.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { containerImages } from '../services/containers.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dockerHost = process.env.STREAMLAB_DOCKER_HOST || process.env.DOCKER_HOST;
const dockerEnv: NodeJS.ProcessEnv = { ...process.env, ...(dockerHost ? { DOCKER_HOST: dockerHost } : {}) };
const FILES = ['test/integration/smoke/kafka-roundtrip.test.ts', 'test/integration/smoke/postgres-transaction.test.ts', 'test/integration/classroom/student-schema.test.ts'];
/** What testcontainers labels its containers with. */
const LABEL = 'label=org.testcontainers=true';

function docker(args: string[]): string | undefined {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', env: dockerEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
  } catch {
    return undefined;
  }
}
const daemon = docker(['version', '--format', '{{.Server.Version}}']);
const skipReason = daemon ? undefined : 'no Docker daemon answers (e.g. scripts/classroom/dockerd.sh start, then export STREAMLAB_DOCKER_HOST as it prints)';
if (skipReason) console.warn(`classroom tier's container services skipped: ${skipReason}`);

/**
 * The environment of the inner run: the daemon, the images, containers only. Without the lane's
 * folder filters, the services named outside (which would win over containers) and this vitest's own
 * variables.
 */
function innerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(dockerEnv)) {
    if (/^(VITEST|STREAMLAB_INTEGRATION_|STREAMLAB_KAFKA$|KAFKA_BROKERS$|DATABASE_URL$|NODE_ENV$)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, STREAMLAB_SERVICES: 'containers', TESTCONTAINERS_RYUK_DISABLED: 'true' };
}

interface Report {
  numPassedTests: number;
  numTotalTests: number;
  testResults: { name: string; status: string }[];
}

describe.skipIf(skipReason !== undefined)('the test services on containers', () => {
  const work = mkdtempSync(join(tmpdir(), 'streamlab-container-services-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('runs integration files against Kafka and PostgreSQL containers of KAFKA_IMAGE and POSTGRES_IMAGE, and removes them', async () => {
    // The daemon's data outlives a run: a run killed before its teardown may have left stopped containers,
    // which go. Running ones may be another run's on the same daemon (an engineer's run by hand), so they
    // stay, and only containers this run leaves count against it below.
    const stale = docker(['ps', '-a', '-q', '--filter', LABEL, '--filter', 'status=exited']);
    if (stale) docker(['rm', '-f', ...stale.split('\n')]);
    const ids = () => new Set((docker(['ps', '-a', '-q', '--filter', LABEL]) ?? '').split('\n').filter(Boolean));
    const before = ids();
    const report = join(work, 'report.json');
    const started = Date.now();
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'integration', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', report, ...FILES],
        { cwd: repoRoot, env: innerEnv(), maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }));
    });
    console.log(`classroom: the integration files on containers took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    expect(run.code, run.output.slice(-6000)).toBe(0);

    // The global setup's banner: both services are containers, of the pinned Kafka and PostgreSQL 18.
    const kafkaVersion = containerImages().kafka.split(':')[1];
    expect(run.output).toMatch(new RegExp(`^services: kafka=container ${kafkaVersion!.replace(/\./g, '\\.')}@\\S+:\\d+ postgres=container 18\\.\\d+@\\S+:\\d+$`, 'm'));
    const json = JSON.parse(readFileSync(report, 'utf8')) as Report;
    expect(json.testResults.map((f) => [f.name.slice(repoRoot.length), f.status]).sort()).toEqual(FILES.map((f) => [f, 'passed']).sort());
    expect(json.numPassedTests).toBe(json.numTotalTests);

    // The global teardown stopped both containers, and nothing else was left behind.
    expect([...ids()].filter((id) => !before.has(id))).toEqual([]);
  });
});
