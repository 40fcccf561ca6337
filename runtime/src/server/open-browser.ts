/**
 * Opens a URL in the user's browser, best effort: a missing opener is not an error.
 */
import { spawn } from 'node:child_process';

/** Opens `url` with the platform's opener (xdg-open, open, start). */
export function openBrowser(url: string, platform: string = process.platform): void {
  const [cmd, args] = platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener: the printed URL is enough.
  }
}
