/**
 * Serves the built workbench (`workbench/dist`). When it has not been built, it is built once with
 * Vite's programmatic API (in the background; pages say so meanwhile).
 *
 *   request → file under dist (else 404) → representation: br if accepted, else gzip if accepted, else
 *             the file (text-like files over MIN_COMPRESS_BYTES only) → ETag of that representation
 *             → If-None-Match matches? 304 : 200 with the body (HEAD: headers only)
 *
 * Each file is read, hashed and compressed once per version of it on disk (size and mtime), lazily on
 * the first request that wants that encoding, and kept in memory: dist is a few files written by one
 * build, so the cache is bounded by the build. Concurrent first requests share one compression.
 * Vite's hashed file names (`assets/name-[hash].js`) never change content, so they are cached for a
 * year as immutable; everything else is revalidated with its ETag on every use.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8', '.d.ts': 'text/plain; charset=utf-8',
};

/** Types worth compressing; images and woff fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.ico', '.ttf', '.wasm', '.txt', '.d.ts']);
/** Below this a compressed body saves less than its headers cost. */
export const MIN_COMPRESS_BYTES = 1024;
/** Vite's `[name]-[hash].[ext]` under `assets/`: the hash is 8 URL-safe base64 characters. */
const HASHED = /^assets\/.+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9.]+$/;

/** A response encoding the server can produce. */
export type Encoding = 'br' | 'gzip' | 'identity';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const ENCODERS: Record<Exclude<Encoding, 'identity'>, (b: Buffer) => Promise<Buffer>> = {
  // Quality 9 is within a few percent of 11 on JavaScript at a fraction of the time, so the first
  // request for a large chunk (Monaco) does not wait seconds.
  br: (b) => brotli(b, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: b.length, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT } }),
  gzip: (b) => gzipAsync(b, { level: 9 }),
};

/**
 * The encoding to send for an `Accept-Encoding` header: brotli, then gzip, each only when accepted
 * with a non-zero q-value (`*` counts for both), else the file as it is.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    if (name) q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const accepted = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (accepted('br')) return 'br';
  if (accepted('gzip')) return 'gzip';
  return 'identity';
}

/** Whether an `If-None-Match` header matches `etag` (weak comparison, as RFC 9110 asks for GET). */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

/** One version of one file: its bytes, its hash and its encodings once made. */
interface CachedFile {
  size: number;
  mtimeMs: number;
  body: Buffer;
  hash: string;
  encoded: Map<Exclude<Encoding, 'identity'>, Promise<Buffer>>;
}

/** State of the workbench files. */
export type AssetsState = 'ready' | 'building' | 'missing' | 'failed';

/** Static file server for the workbench. */
export class WorkbenchAssets {
  private state: AssetsState;
  private readonly files = new Map<string, Promise<CachedFile>>();

  /**
   * @param workbenchDir the `workbench/` package directory (its `dist/` is served)
   * @param log where to say that a build happens
   */
  constructor(private readonly workbenchDir: string, private readonly log: (line: string) => void = () => {}) {
    this.state = existsSync(join(workbenchDir, 'dist', 'index.html')) ? 'ready' : 'missing';
  }

  /** Current state. */
  get status(): AssetsState {
    return this.state;
  }

  /** Builds the workbench if it is missing; resolves when done (never rejects). */
  async ensureBuilt(): Promise<AssetsState> {
    if (this.state !== 'missing') return this.state;
    if (!existsSync(join(this.workbenchDir, 'index.html'))) {
      this.state = 'failed';
      this.log('streamlab: the workbench sources are missing, so only the runtime API is available.');
      return this.state;
    }
    this.state = 'building';
    this.log('streamlab: workbench/dist is missing; building the workbench once with Vite (this takes a few seconds)...');
    try {
      const vite = await import('vite');
      await vite.build({ root: this.workbenchDir, logLevel: 'error', configFile: join(this.workbenchDir, 'vite.config.ts') });
      this.state = existsSync(join(this.workbenchDir, 'dist', 'index.html')) ? 'ready' : 'failed';
    } catch (e) {
      this.state = 'failed';
      this.log(`streamlab: building the workbench failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
    if (this.state === 'ready') this.log('streamlab: workbench built.');
    return this.state;
  }

  /** Serves `pathname` from dist; returns false when there is no such file. */
  async serve(pathname: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (this.state !== 'ready') return false;
    const root = join(this.workbenchDir, 'dist');
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const file = normalize(join(root, rel === '/' ? 'index.html' : rel));
    if (!file.startsWith(root + sep)) return false;
    let info;
    try {
      info = await stat(file);
    } catch {
      return false;
    }
    if (!info.isFile()) return false;
    const cached = await this.load(file, info.size, info.mtimeMs);
    const ext = file.endsWith('.d.ts') ? '.d.ts' : extname(file);
    const compressible = COMPRESSIBLE.has(ext) && cached.body.length >= MIN_COMPRESS_BYTES;
    const encoding = compressible ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
    const etag = `"${cached.hash}${encoding === 'identity' ? '' : `-${encoding}`}"`;
    const relPath = file.slice(root.length + 1).split(sep).join('/');
    const headers: Record<string, string | number> = {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      etag,
      'cache-control': HASHED.test(relPath) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(compressible ? { vary: 'Accept-Encoding' } : {}),
    };
    if (noneMatch(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const body = encoding === 'identity' ? cached.body : await this.encoded(cached, encoding);
    res.writeHead(200, { ...headers, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }), 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  /** The file's cached version, read and hashed again when its size or mtime changed. */
  private async load(file: string, size: number, mtimeMs: number): Promise<CachedFile> {
    const known = this.files.get(file);
    if (known) {
      const cached = await known.catch(() => null);
      if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached;
    }
    const loading = readFile(file).then((body): CachedFile => ({
      size, mtimeMs, body, encoded: new Map(),
      hash: createHash('sha256').update(body).digest('base64url').slice(0, 22),
    }));
    this.files.set(file, loading);
    loading.catch(() => this.files.delete(file));
    return loading;
  }

  /** The file in `encoding`, compressed on first use and kept. */
  private encoded(cached: CachedFile, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
    let body = cached.encoded.get(encoding);
    if (!body) {
      body = ENCODERS[encoding](cached.body);
      cached.encoded.set(encoding, body);
      body.catch(() => cached.encoded.delete(encoding));
    }
    return body;
  }
}

