/**
 * Configuration layers: defaults < file < env < overrides, validated, with one-line errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv, loadConfig, resolveConfig } from '../../../runtime/src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'streamlab-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config', () => {
  it('has defaults', () => {
    expect(resolveConfig()).toEqual({
      host: '127.0.0.1', port: 5170, topicPrefix: '', isolateLearners: false, open: true, display: false, allowedOrigins: [], maxFrameBytes: 1024 * 1024,
      helloTimeoutMs: 5000, maxUnauthenticatedSockets: 64,
      limits: {
        memoryMb: 256, unresponsiveMs: 2000, blockedMs: 30_000, maxRowsPerBatch: 1000, maxRunsPerConnection: 4, socketGraceMs: 15_000, maxConcurrentChecks: 2, workspaceMb: 256,
        // Four per core, at least eight.
        maxRunsTotal: Math.max(8, 4 * availableParallelism()),
      },
    });
  });

  it('layers file < env < overrides, merging limits', () => {
    writeFileSync(join(dir, 'streamlab.config.yaml'), 'port: 6000\nhost: 0.0.0.0\nlimits:\n  memoryMb: 128\n  maxRowsPerBatch: 10\n  workspaceMb: 0.5\n');
    const config = loadConfig({ host: '127.0.0.2', limits: { maxRowsPerBatch: 20 } }, { STREAMLAB_PORT: '6001', STREAMLAB_KAFKA: 'k:9092', STREAMLAB_NO_OPEN: '1', STREAMLAB_ALLOWED_ORIGINS: 'http://a:1, http://b:2', STREAMLAB_TOPIC_PREFIX: 'ada.' }, dir);
    expect(config).toMatchObject({
      host: '127.0.0.2', port: 6001, kafka: 'k:9092', topicPrefix: 'ada.', open: false, allowedOrigins: ['http://a:1', 'http://b:2'],
      limits: { memoryMb: 128, maxRowsPerBatch: 20, unresponsiveMs: 2000, workspaceMb: 0.5 },
    });
    expect(loadConfig({}, { STREAMLAB_WORKSPACE_MB: '64' }, dir).limits.workspaceMb).toBe(64);
  });

  it('reads the display from the environment and the platform', () => {
    expect(configFromEnv({}, 'linux').display).toBe(false);
    expect(configFromEnv({ DISPLAY: ':0' }, 'linux').display).toBe(true);
    expect(configFromEnv({}, 'darwin').display).toBe(true);
  });

  it('shares the runtime between learners when STREAMLAB_ISOLATE_LEARNERS says so', () => {
    expect(['1', 'true', 'yes', '0', 'false', 'no', ''].map((v) => configFromEnv({ STREAMLAB_ISOLATE_LEARNERS: v }).isolateLearners)).toEqual([true, true, true, false, false, false, undefined]);
  });

  it('says in one line what is wrong', () => {
    expect(() => configFromEnv({ STREAMLAB_PORT: 'abc' })).toThrow(new ConfigError('invalid configuration: STREAMLAB_PORT must be an integer, got "abc"'));
    expect(() => resolveConfig({ port: 70_000 })).toThrow(new ConfigError('invalid configuration: port: Too big: expected number to be <=65535'));
    expect(() => loadConfig({}, { STREAMLAB_CONFIG: 'missing.yaml' }, dir)).toThrow(new ConfigError('STREAMLAB_CONFIG names a missing file: missing.yaml'));
  });
});
