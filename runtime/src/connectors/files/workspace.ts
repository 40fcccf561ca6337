/**
 * A learner's workspace as the engine's file sources and sinks see it: one folder, which every path
 * the learner's code names is taken to be inside. The path is normalised against the folder as a
 * root, so `..` cannot climb out of it and `/tmp/in` is `tmp/in` in it (as `checkpointLocation`s
 * are); a file or folder whose real path (symbolic links followed) lies outside the folder does not
 * exist, for reading and for writing. The engine names files by their path from the root
 * (`/tmp/in/a.json`), never by where the folder is on this machine.
 */
import { closeSync, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync, constants } from 'node:fs';
import { join, posix, sep } from 'node:path';
import { StreamlabError } from '../../engine/errors.js';
import type { AreaFile, FileArea } from '../../engine/files/index.js';

/**
 * How much a learner's files may take on disk: `elsewhere` (the bytes of the learner's other lessons'
 * folders, counted when the run started: the job may not read them) plus every file under the
 * workspace's folder (its files and its checkpoints) plus what a write adds may not go over `bytes`.
 */
export interface WorkspaceLimit {
  bytes: number;
  elsewhere: number;
}

/** The bytes of the files under `dir`, links not followed (a link counts as itself). */
export function bytesUnder(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const full = join(dir, name);
    let st;
    try {
      st = lstatSync(full);
    } catch {
      continue;
    }
    total += st.isDirectory() ? bytesUnder(full) : st.size;
  }
  return total;
}

const megabytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(3))} MB`;

const visible = (name: string) => !name.startsWith('_') && !name.startsWith('.');

function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

let tmpCounter = 0;

/**
 * The workspace rooted at `root`; read-only unless `writable`. With `limit`, a write that would take
 * the limit's folder over its size is refused before any byte of it is written.
 */
export function workspaceArea(root: string, options: { writable: boolean; limit?: WorkspaceLimit }): FileArea {
  let realRoot: string | null = null;
  const rootReal = (): string => (realRoot ??= realpathSync.native(root));
  /** The learner's path as a path from the root: `/a/b`. */
  const virtual = (path: string): string => posix.normalize(`/${path.replace(/^file:(\/\/)?/, '').replace(/\\/g, '/')}`).replace(/\/+$/, '') || '/';
  const real = (v: string): string => join(root, ...v.split('/').filter((p) => p !== ''));
  /** Whether an existing path's real location is inside the root. */
  const inside = (full: string): boolean => {
    let r: string;
    try {
      r = realpathSync.native(full);
    } catch {
      return false;
    }
    return r === rootReal() || r.startsWith(rootReal() + sep);
  };
  const fileOf = (v: string): AreaFile | null => {
    const full = real(v);
    if (!inside(full)) return null;
    try {
      const st = statSync(full);
      return st.isFile() ? { path: v, modificationTime: Math.floor(st.mtimeMs), size: st.size } : null;
    } catch {
      return null;
    }
  };
  const isDir = (v: string): boolean => {
    const full = real(v);
    try {
      return inside(full) && statSync(full).isDirectory();
    } catch {
      return false;
    }
  };
  const namesOf = (v: string): string[] => (isDir(v) ? readdirSync(real(v)).sort() : []);
  const child = (v: string, name: string) => (v === '/' ? `/${name}` : `${v}/${name}`);

  const area: FileArea = {
    list(path) {
      const v = virtual(path);
      const last = posix.basename(v);
      if (/[*?]/.test(last)) {
        const dir = posix.dirname(v);
        if (!isDir(dir)) return null;
        const re = globPattern(last);
        const found = namesOf(dir).filter((n) => re.test(n) && visible(n)).map((n) => fileOf(child(dir, n))).filter((f): f is AreaFile => f !== null);
        return found.length === 0 ? null : found;
      }
      const f = fileOf(v);
      if (f) return [f];
      if (!isDir(v)) return null;
      return namesOf(v).filter(visible).map((n) => fileOf(child(v, n))).filter((x): x is AreaFile => x !== null);
    },
    exists: (path) => {
      const v = virtual(path);
      return fileOf(v) !== null || isDir(v);
    },
    read(file) {
      const v = virtual(file);
      const full = real(v);
      if (!inside(full)) throw new Error(`${v} does not exist`);
      // Opened without following a link in its last part, then checked to be the file that was vetted.
      const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        if (!fstatSync(fd).isFile()) throw new Error(`${v} is not a file`);
        return readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    },
    names: (dir) => namesOf(virtual(dir)),
  };
  if (options.writable) {
    area.write = (file, text) => {
      const v = virtual(file);
      const dirV = posix.dirname(v);
      const dir = real(dirV);
      const limit = options.limit;
      if (limit) {
        const adding = Buffer.byteLength(text, 'utf8');
        let replacing = 0;
        try {
          replacing = lstatSync(real(v)).size;
        } catch { /* a new file */ }
        const used = limit.elsewhere + bytesUnder(root);
        if (used - replacing + adding > limit.bytes) {
          throw new StreamlabError(`[WORKSPACE_LIMIT_EXCEEDED] Writing file://${v} (${adding} bytes) would take your files to ${megabytes(used - replacing + adding)}, over this runtime's limit of ${megabytes(limit.bytes)} (the files and checkpoints of all your lessons count). Nothing was written. To free space, forget a lesson's saved state (Forget saved state, or checkpoints.reset), which deletes its files and checkpoints.`, { code: 'WORKSPACE_LIMIT_EXCEEDED' });
        }
      }
      // The folder itself is made on the first write; then the nearest folder that exists must be
      // inside it before any folder is made under that.
      mkdirSync(root, { recursive: true });
      let existing = dirV;
      while (existing !== '/' && !existsSync(real(existing))) existing = posix.dirname(existing);
      if (!inside(real(existing))) throw new Error(`${dirV} is outside the workspace`);
      mkdirSync(dir, { recursive: true });
      if (!inside(dir)) throw new Error(`${dirV} is outside the workspace`);
      const full = real(v);
      const tmp = join(dir, `.${posix.basename(v)}.${process.pid}.${tmpCounter++}.tmp`);
      writeFileSync(tmp, text, { encoding: 'utf8', flag: 'wx' });
      renameSync(tmp, full);
      const st = statSync(full);
      return { path: v, modificationTime: Math.floor(st.mtimeMs), size: st.size };
    };
  }
  return area;
}
