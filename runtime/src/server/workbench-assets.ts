/**
 * Serves the built workbench (`workbench/dist`). When it has not been built, it is built once with
 * Vite's programmatic API (in the background; pages say so meanwhile).
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2',
  '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8', '.d.ts': 'text/plain; charset=utf-8',
};

/** State of the workbench files. */
export type AssetsState = 'ready' | 'building' | 'missing' | 'failed';

/** Static file server for the workbench. */
export class WorkbenchAssets {
  private state: AssetsState;

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
    const body = await readFile(file);
    const type = TYPES[file.endsWith('.d.ts') ? '.d.ts' : extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}
