/**
 * Loading the embedded PostgreSQL starter must not change how a process exits: the package it
 * wraps installs a `beforeExit` hook that forces exit code 0, which once turned failed test runs green.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('startEmbeddedPostgres module', () => {
  it('keeps the exit code a process sets before exiting naturally', () => {
    const script = "await import('./runtime/src/connectors/postgres/embedded.ts'); process.exitCode = 3;";
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });
});
