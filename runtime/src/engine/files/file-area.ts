/**
 * The files a session's file sources and sinks may reach (the engine does no I/O; a host plugs one
 * in). Paths are the learner's: the host decides where they are, and a path it will not reach does
 * not exist, as far as the engine can tell.
 */

/** One file as a listing gives it. */
export interface AreaFile {
  /** The file's path as the engine names it (in logs and errors); handed back to `read`. */
  readonly path: string;
  readonly modificationTime: number;
  readonly size: number;
}

/** Files a host lets the engine read, and (when `write` exists) write. */
export interface FileArea {
  /**
   * Files of a path (a file, a folder's visible files, or a glob in its last part) in name order, or
   * null when the path does not exist.
   */
  list(path: string): AreaFile[] | null;
  /** Whether a path exists (a file or a folder). */
  exists(path: string): boolean;
  read(file: string): string;
  /** Writes a whole file (made visible at once), creating its folders; absent where nothing may be written. */
  write?(file: string, text: string): AreaFile;
  /** The names in a folder (none when it does not exist). */
  names?(dir: string): string[];
}

/** `a/b` + `c` as the area names it. */
export function childPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
