/** Which scenarios the conformance runner reads: the repository's copy, or the directory the environment names. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PUBLIC_SCENARIO_DIR, scenarioDir } from '../../../runtime/src/testing/conformance/scenario-dir.js';

describe('scenarioDir', () => {
  it('reads the repository\'s own copy of the public scenarios by default', () => {
    expect(PUBLIC_SCENARIO_DIR).toBe(fileURLToPath(new URL('../../conformance/public', import.meta.url)));
    expect(scenarioDir({})).toBe(PUBLIC_SCENARIO_DIR);
    expect(scenarioDir({ STREAMLAB_CONFORMANCE_DIR: ' ' })).toBe(PUBLIC_SCENARIO_DIR);
    expect(existsSync(PUBLIC_SCENARIO_DIR)).toBe(true);
    expect(readdirSync(PUBLIC_SCENARIO_DIR).filter((f) => f.endsWith('.json')).length).toBe(35);
  });

  it('reads the directory STREAMLAB_CONFORMANCE_DIR names, relative to the working directory', () => {
    expect(scenarioDir({ STREAMLAB_CONFORMANCE_DIR: '/srv/held-out' })).toBe('/srv/held-out');
    expect(scenarioDir({ STREAMLAB_CONFORMANCE_DIR: 'held-out' })).toBe(resolve('held-out'));
  });
});
