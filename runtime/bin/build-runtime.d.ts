/** The runtime package's folder. */
export declare const RUNTIME_DIR: string;
/**
 * The build of the current sources (runtime/dist/<fingerprint>), made first if there is none.
 * @param options.onBuild called before a build is made (not when the current one exists)
 * @throws when there are no sources here or the build cannot be written
 */
export declare function runtimeBuild(options?: { onBuild?: () => void }): Promise<{ dir: string; built: boolean }>;
