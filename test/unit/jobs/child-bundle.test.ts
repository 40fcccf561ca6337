import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runtimeBuild } from '../../../runtime/bin/build-runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'child-bundle-'));
const given = join(dir, 'job-child.mjs');
writeFileSync(given, '// a job script another process built\n');
writeFileSync(join(dir, 'sync-reader-worker.mjs'), '// its worker\n');

/** The module afresh: it keeps the bundle it found or built for the life of the process. */
const fresh = async () => {
  vi.resetModules();
  return import('../../../runtime/src/jobs/child-bundle.js');
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => vi.resetModules());

describe('the job script a grader hands its check processes', () => {
  it('is used as it is when STREAMLAB_JOB_BUNDLE names it and its worker is beside it, and is not removed by the process that did not build it', async () => {
    const { jobChildBundle, JOB_BUNDLE_ENV } = await fresh();
    const bundle = await jobChildBundle({ [JOB_BUNDLE_ENV]: given });
    expect([bundle.file, bundle.workerFile]).toEqual([given, join(dir, 'sync-reader-worker.mjs')]);
    bundle.dispose();
    expect(existsSync(given)).toBe(true);
  });

  it("is the runtime build's when the named script has no worker beside it or the path is relative, and stays after dispose", async () => {
    const { dir: build } = await runtimeBuild();
    for (const name of [join(dir, 'elsewhere', 'job-child.mjs'), 'job-child.mjs']) {
      const { jobChildBundle, JOB_BUNDLE_ENV } = await fresh();
      const bundle = await jobChildBundle({ [JOB_BUNDLE_ENV]: name });
      expect([bundle.file, bundle.workerFile]).toEqual([join(build, 'job', 'job-child.mjs'), join(build, 'job', 'sync-reader-worker.mjs')]);
      bundle.dispose();
      expect(existsSync(bundle.file) && existsSync(bundle.workerFile)).toBe(true);
    }
  });
});
