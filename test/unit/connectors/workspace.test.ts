/**
 * A learner's workspace folder as file sources and sinks reach it: every path is inside it, and a
 * symbolic link out of it leads nowhere, for reading and for writing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesUnder, workspaceArea } from '../../../runtime/src/connectors/files/workspace.js';

let base: string;
let root: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'workspace-'));
  root = join(base, 'learner');
  mkdirSync(join(root, 'in'), { recursive: true });
  mkdirSync(join(base, 'other'));
  writeFileSync(join(base, 'secret.txt'), 'secret');
  writeFileSync(join(base, 'other', 'data.txt'), 'theirs');
  writeFileSync(join(root, 'in', 'a.txt'), 'mine');
  symlinkSync(join(base, 'secret.txt'), join(root, 'in', 'link.txt'));
  symlinkSync(join(base, 'other'), join(root, 'theirs'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('workspaceArea', () => {
  it('takes every path as a path inside the folder and names files from it', () => {
    const area = workspaceArea(root, { writable: false });
    for (const p of ['in', '/in', 'file:///in', 'file:/in', '../../in', '/x/../in/']) {
      expect(area.list(p)?.map((f) => f.path), p).toEqual(['/in/a.txt']);
    }
    expect(area.read('/in/a.txt')).toBe('mine');
    expect(area.read('../in/a.txt')).toBe('mine');
    expect(area.list('in/*.txt')?.map((f) => f.path)).toEqual(['/in/a.txt']);
  });

  it('finds nothing outside it: not up the tree, not an absolute path, not through a link', () => {
    const area = workspaceArea(root, { writable: false });
    for (const p of ['../secret.txt', `${base}/secret.txt`, 'in/link.txt', 'theirs', 'theirs/data.txt', '../other/data.txt']) {
      expect(area.list(p), p).toBeNull();
      expect(area.exists(p), p).toBe(false);
      expect(() => area.read(p), p).toThrow();
    }
    expect(area.names?.('theirs')).toEqual([]);
    expect(area.write).toBeUndefined();
  });

  it('writes inside it only, and not through a link out of it', () => {
    const area = workspaceArea(root, { writable: true });
    expect(area.write!('../../out/x.json', '{}\n').path).toBe('/out/x.json');
    expect(readFileSync(join(root, 'out', 'x.json'), 'utf8')).toBe('{}\n');
    expect(() => area.write!('theirs/planted.txt', 'x')).toThrow('/theirs is outside the workspace');
    expect(() => area.write!('theirs/deeper/planted.txt', 'x')).toThrow('/theirs/deeper is outside the workspace');
    expect(existsSync(join(base, 'other', 'planted.txt'))).toBe(false);
    expect(existsSync(join(base, 'other', 'deeper'))).toBe(false);
  });

  it('refuses a write that would take the folder and the bytes elsewhere over the limit, before writing', () => {
    // In the folder: in/a.txt (4 bytes) and the links in/link.txt and theirs (their own sizes, not their targets').
    const used = bytesUnder(root);
    expect(used).toBe(4 + join(base, 'secret.txt').length + join(base, 'other').length);
    const area = workspaceArea(root, { writable: true, limit: { bytes: used + 100, elsewhere: 10 } });
    expect(area.write!('out/fits.txt', 'x'.repeat(90)).size).toBe(90);
    expect(() => area.write!('out/over.txt', 'y')).toThrow(/^\[WORKSPACE_LIMIT_EXCEEDED\] Writing file:\/\/\/out\/over\.txt \(1 bytes\) would take your files to /);
    expect(readdirSync(join(root, 'out'))).toEqual(['fits.txt']);
    // Replacing a file counts only what it adds.
    expect(area.write!('out/fits.txt', 'z'.repeat(80)).size).toBe(80);
    expect(area.write!('out/more.txt', 'w'.repeat(10)).size).toBe(10);
    expect(() => area.write!('out/more2.txt', 'v')).toThrow('WORKSPACE_LIMIT_EXCEEDED');
    expect(() => area.write!('fresh/dir/file.txt', 'v')).toThrow('WORKSPACE_LIMIT_EXCEEDED');
    expect(existsSync(join(root, 'fresh'))).toBe(false);
  });
});
