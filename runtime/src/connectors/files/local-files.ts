/**
 * Local folders as Spark's file sources see them: a path is a file, a folder (its files, without the
 * hidden `_…` and `.…` ones Spark skips) or a glob in its last part (`lake/dax/*.csv`). Used to plug
 * `spark.read.csv` into the engine where the process may read the folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { csvSourceProvider, type CsvFiles } from '../../engine/csv-source.js';
import type { FormatRegistry } from '../../engine/formats.js';

const visible = (name: string) => !name.startsWith('_') && !name.startsWith('.');

function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Files under local paths, resolved against `root` when relative. */
export function localFiles(root = '.'): CsvFiles {
  return {
    list(path) {
      const p = path.startsWith('file:') ? path.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : path;
      const full = p.startsWith('/') ? p : join(root, p);
      const last = basename(full);
      if (/[*?]/.test(last)) {
        const dir = dirname(full);
        let names: string[];
        try {
          names = readdirSync(dir);
        } catch {
          return null;
        }
        const re = globPattern(last);
        const found = names.filter((n) => re.test(n) && visible(n)).sort().map((n) => join(dir, n)).filter(isFile);
        return found.length === 0 ? null : found;
      }
      let st;
      try {
        st = statSync(full);
      } catch {
        return null;
      }
      if (st.isFile()) return [full];
      return readdirSync(full).filter(visible).sort().map((n) => join(full, n)).filter(isFile);
    },
    read: (file) => readFileSync(file, 'utf8'),
  };
}

/**
 * Files of one data folder only (a job's lake): relative paths resolve inside it, and a path that
 * leads outside it does not exist, as far as the reader can tell.
 */
export function dataFolderFiles(root: string): CsvFiles {
  const base = resolve(root);
  const inner = localFiles(base);
  const inside = (p: string) => {
    const full = resolve(base, p.startsWith('file:') ? p.slice('file:'.length) : p);
    return full === base || full.startsWith(base + sep);
  };
  return {
    list: (path) => (inside(path) ? inner.list(path) : null),
    read: (file) => {
      if (!inside(file)) throw new Error(`${file} is outside the data folder`);
      return inner.read(file);
    },
  };
}

/** Registers `spark.read.csv` / `format("csv")` over local files into a session's formats. */
export function registerLocalCsv(formats: FormatRegistry, root = '.'): void {
  formats.registerBatchSource('csv', csvSourceProvider(localFiles(root)));
}
