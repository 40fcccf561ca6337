/**
 * The Apache Kafka distribution the local provider runs: jars from Maven Central, cached by version
 * under the home directory, never committed.
 *
 * Layout of the cache (one directory per pinned version, so upgrades never mix jars):
 *   ~/.cache/streamlab/kafka-<kafka>-log4j-<log4j>/pom.xml     throwaway pom naming the artifacts
 *   ~/.cache/streamlab/kafka-<kafka>-log4j-<log4j>/libs/*.jar   runtime classpath
 *   ~/.cache/streamlab/kafka-<kafka>-log4j-<log4j>/libs/streamlab-manifest.json   written last: the fetch is complete
 *
 * `org.apache.kafka:kafka_2.13` alone pulls everything a KRaft broker+controller needs, but no slf4j
 * binding (Kafka 4.x logs through slf4j 1.7 and ships log4j-core), so `log4j-slf4j-impl` at the same
 * version as the tree's `log4j-core` is added; without it the broker runs silently and the readiness
 * log line never appears.
 */
import { runTool, throwawayPom } from './maven.js';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The versions pinned for the local and container providers (single source: pins.json). */
export interface Pins {
  kafka: string;
  scala: string;
  log4j: string;
  mavenDependencyPlugin: string;
  kafkaImage: string;
  postgresImage: string;
}

/** The pinned versions. */
export const pins: Pins = JSON.parse(readFileSync(new URL('./pins.json', import.meta.url), 'utf8'));

const MANIFEST = 'streamlab-manifest.json';

/** Root of Streamlab's download cache: `STREAMLAB_CACHE_DIR`, else `~/.cache/streamlab`. */
export function cacheRoot(): string {
  return process.env.STREAMLAB_CACHE_DIR || join(homedir(), '.cache', 'streamlab');
}

/** The cache directory of the pinned Kafka version. */
export function kafkaHome(): string {
  return join(cacheRoot(), `kafka-${pins.kafka}-log4j-${pins.log4j}`);
}

/** The directory holding the broker's runtime classpath. */
export function kafkaLibs(): string {
  return join(kafkaHome(), 'libs');
}

/** Jars that must be on the classpath, by file name. */
function requiredJars(): string[] {
  return [
    `kafka_${pins.scala}-${pins.kafka}.jar`,
    `kafka-server-${pins.kafka}.jar`,
    `kafka-clients-${pins.kafka}.jar`,
    `kafka-raft-${pins.kafka}.jar`,
    `kafka-metadata-${pins.kafka}.jar`,
    `log4j-core-${pins.log4j}.jar`,
    `log4j-slf4j-impl-${pins.log4j}.jar`,
  ];
}

interface Manifest {
  kafka: string;
  log4j: string;
  jars: { name: string; size: number }[];
}

/**
 * Checks that the cached jars are complete and unchanged since the fetch.
 * @returns the problem in words, or `undefined` when the classpath is usable.
 */
export function kafkaJarsProblem(): string | undefined {
  const libs = kafkaLibs();
  const manifestPath = join(libs, MANIFEST);
  if (!existsSync(manifestPath)) return `Kafka ${pins.kafka} jars are not in the cache (${libs}); run \`npm run services:fetch\` (needs Maven and Maven Central)`;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    return `the jar manifest ${manifestPath} is unreadable (${(error as Error).message}); delete ${kafkaHome()} and run \`npm run services:fetch\``;
  }
  for (const jar of manifest.jars) {
    const path = join(libs, jar.name);
    if (!existsSync(path) || statSync(path).size !== jar.size) {
      return `the cached jar ${path} is missing or changed; delete ${kafkaHome()} and run \`npm run services:fetch\``;
    }
  }
  return undefined;
}

/** True when a jar (a zip) lists `entry` in its central directory; names there are stored uncompressed. */
function jarHasEntry(jar: string, entry: string): boolean {
  return readFileSync(jar).includes(Buffer.from(entry));
}

function pom(): string {
  return throwawayPom({
    comment: 'Written by test/services/kafka-dist.ts: the runtime classpath of a local Apache Kafka broker.',
    artifactId: 'kafka-runtime',
    version: pins.kafka,
    dependencies: [
      { groupId: 'org.apache.kafka', artifactId: `kafka_${pins.scala}`, version: pins.kafka },
      { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: pins.log4j },
    ],
    dependencyPluginVersion: pins.mavenDependencyPlugin,
  });
}

/** What {@link fetchKafka} did. */
export interface FetchResult {
  /** `cached` when the jars were already complete, `fetched` when Maven copied them now. */
  action: 'cached' | 'fetched';
  libs: string;
  jars: number;
  bytes: number;
}

/**
 * Makes the pinned Kafka runtime jars available in the cache, running Maven only when they are
 * missing. Idempotent. Throws with Maven's output when the download fails.
 */
export async function fetchKafka(): Promise<FetchResult> {
  const home = kafkaHome();
  const libs = kafkaLibs();
  const summarise = (action: FetchResult['action']): FetchResult => {
    const manifest: Manifest = JSON.parse(readFileSync(join(libs, MANIFEST), 'utf8'));
    return { action, libs, jars: manifest.jars.length, bytes: manifest.jars.reduce((n, j) => n + j.size, 0) };
  };
  if (kafkaJarsProblem() === undefined) return summarise('cached');

  mkdirSync(home, { recursive: true });
  rmSync(libs, { recursive: true, force: true });
  writeFileSync(join(home, 'pom.xml'), pom());
  const mvn = await runTool('mvn', ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', '-DoutputDirectory=libs'], home);
  if (mvn.code !== 0) {
    rmSync(libs, { recursive: true, force: true });
    const hint = mvn.code === -1 ? 'Maven (`mvn`) is not installed or not on PATH. ' : '';
    throw new Error(`${hint}Maven could not fetch Kafka ${pins.kafka} into ${libs} (exit ${mvn.code}):\n${mvn.output.trim().slice(-4000)}`);
  }

  const names = readdirSync(libs).filter((n) => n.endsWith('.jar')).sort();
  const missing = requiredJars().filter((n) => !names.includes(n));
  if (missing.length > 0) {
    const log4jCore = names.find((n) => n.startsWith('log4j-core-'));
    throw new Error(`Kafka ${pins.kafka} classpath in ${libs} lacks ${missing.join(', ')}`
      + (log4jCore ? ` (the tree has ${log4jCore}: align "log4j" in test/services/pins.json with it)` : ''));
  }
  const kafkaJar = join(libs, `kafka_${pins.scala}-${pins.kafka}.jar`);
  for (const entry of ['kafka/Kafka.class', 'kafka/tools/StorageTool']) {
    if (!jarHasEntry(kafkaJar, entry)) throw new Error(`${kafkaJar} does not contain ${entry}; it cannot run a broker`);
  }
  const manifest: Manifest = {
    kafka: pins.kafka,
    log4j: pins.log4j,
    jars: names.map((name) => ({ name, size: statSync(join(libs, name)).size })),
  };
  writeFileSync(join(libs, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return summarise('fetched');
}
