/** Whether PostgreSQL's OS user can reach the bundled binaries decides where they are loaded from. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { traversableBy } from '../../../runtime/src/connectors/postgres/embedded-binaries.js';

const base = mkdtempSync(join(tmpdir(), 'streamlab-traverse-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('traversableBy', () => {
  it('is false under a 0700 directory of another user and true once others may search it', () => {
    const dir = join(base, 'checkout', 'bin');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'initdb');
    writeFileSync(file, '');
    chmodSync(base, 0o755);
    chmodSync(join(base, 'checkout'), 0o700);
    // uid/gid 54321: neither owner nor group of anything here, so only the "others" bits count.
    expect(traversableBy(file, 54321, 54321)).toBe(false);
    chmodSync(join(base, 'checkout'), 0o711);
    expect(traversableBy(file, 54321, 54321)).toBe(true);
    chmodSync(base, 0o700);
    expect(traversableBy(file, 54321, 54321)).toBe(false);
    chmodSync(base, 0o755);
  });
});
