/**
 * Real Apache Spark for the parity tier: PySpark from PyPI in a venv, plus the Kafka connector jars
 * (Scala 2.12, matching the PyPI build of Spark 3.5) from Maven Central, cached by version under the
 * home directory and passed to Spark with `spark.jars`, so nothing is resolved through Ivy at run time.
 *
 * Layout (one directory per pinned version, so upgrades never mix):
 *   <cache>/pyspark-<ver>/venv/bin/python                   the venv with `pyspark==<ver>`
 *   <cache>/pyspark-<ver>/pom.xml                           throwaway pom naming the connector
 *   <cache>/pyspark-<ver>/jars/*.jar                        the four connector jars
 *   <cache>/pyspark-<ver>/streamlab-manifest.json           written last: the fetch is complete
 */
import { runTool, throwawayPom } from '../services/maven.js';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Spark-side pins (from test/services/pins.json). */
export interface SparkPins {
  pyspark: string;
  /** NumPy and pandas for `pyspark.ml` and `pyspark.ml.functions` (the lesson 06 model and its parity test). */
  numpy: string;
  pandas: string;
  sparkScala: string;
  postgresJdbc: string;
  mavenDependencyPlugin: string;
}

/** The pinned versions. */
export const sparkPins: SparkPins = JSON.parse(readFileSync(new URL('../services/pins.json', import.meta.url), 'utf8'));

const MANIFEST = 'streamlab-manifest.json';

/** Root of Streamlab's download cache: `STREAMLAB_CACHE_DIR`, else `~/.cache/streamlab`. */
function cacheRoot(): string {
  return process.env.STREAMLAB_CACHE_DIR || join(homedir(), '.cache', 'streamlab');
}

/** The cache directory of the pinned PySpark version. */
export function pysparkHome(): string {
  return join(cacheRoot(), `pyspark-${sparkPins.pyspark}`);
}

/** The venv's Python interpreter. */
export function pysparkPython(): string {
  return join(pysparkHome(), 'venv', 'bin', 'python');
}

/**
 * The environment of a PySpark program the tests start: UTC, Spark on the loopback address, the
 * venv's Python for its workers, and a driver JVM that compiles with C1 only (as the test Kafka's
 * does). The tests' Spark jobs are small and short, so the C2 compiler's threads cost CPU they never
 * win back; what Spark computes does not depend on the JIT.
 */
export function pysparkEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const javaOptions = [process.env.JDK_JAVA_OPTIONS, '-XX:TieredStopAtLevel=1'].filter(Boolean).join(' ');
  return { ...process.env, TZ: 'UTC', SPARK_LOCAL_IP: '127.0.0.1', PYSPARK_PYTHON: pysparkPython(), JDK_JAVA_OPTIONS: javaOptions, ...extra };
}

/** Artifact ids of the four jars the Kafka source and sink need beyond what `pyspark/jars` ships. */
function connectorArtifacts(): string[] {
  return [`spark-sql-kafka-0-10_${sparkPins.sparkScala}`, `spark-token-provider-kafka-0-10_${sparkPins.sparkScala}`, 'kafka-clients', 'commons-pool2'];
}

interface Manifest {
  pyspark: string;
  numpy?: string;
  pandas?: string;
  jars: { name: string; size: number }[];
}

/**
 * Checks that the venv and jars are complete.
 * @returns the problem in words, or `undefined` when Spark is usable.
 */
export function pysparkProblem(): string | undefined {
  const manifestPath = join(pysparkHome(), MANIFEST);
  if (!existsSync(manifestPath)) return `PySpark ${sparkPins.pyspark} is not in the cache (${pysparkHome()}); run \`npm run services:fetch\` (needs Python 3, PyPI and Maven Central)`;
  const manifest: Manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (!existsSync(pysparkPython())) return `the venv in ${pysparkHome()} has no python; delete the folder and run \`npm run services:fetch\``;
  if (manifest.numpy !== sparkPins.numpy || manifest.pandas !== sparkPins.pandas) return `the venv in ${pysparkHome()} lacks numpy ${sparkPins.numpy} or pandas ${sparkPins.pandas} (pyspark.ml needs them); run \`npm run services:fetch\``;
  for (const jar of manifest.jars) {
    const path = join(pysparkHome(), 'jars', jar.name);
    if (!existsSync(path) || statSync(path).size !== jar.size) return `the cached jar ${path} is missing or changed; delete ${pysparkHome()} and run \`npm run services:fetch\``;
  }
  return undefined;
}

/** Absolute paths of the connector jars, for `spark.jars`. */
export function connectorJars(): string[] {
  const manifest: Manifest = JSON.parse(readFileSync(join(pysparkHome(), MANIFEST), 'utf8'));
  return manifest.jars.map((j) => join(pysparkHome(), 'jars', j.name));
}

function pom(): string {
  return throwawayPom({
    comment: `Written by test/parity/pyspark-dist.ts: the Kafka connector of Spark ${sparkPins.pyspark}.`,
    artifactId: 'spark-kafka-connector',
    version: sparkPins.pyspark,
    dependencies: [{ groupId: 'org.apache.spark', artifactId: `spark-sql-kafka-0-10_${sparkPins.sparkScala}`, version: sparkPins.pyspark }],
    dependencyPluginVersion: sparkPins.mavenDependencyPlugin,
  });
}

/** What {@link fetchPySpark} did. */
export interface PySparkFetchResult {
  action: 'cached' | 'fetched';
  home: string;
  jars: string[];
}

/**
 * Makes PySpark and the connector jars available in the cache; idempotent. Throws with pip's or
 * Maven's output when a download fails.
 */
export async function fetchPySpark(): Promise<PySparkFetchResult> {
  const home = pysparkHome();
  const done = (action: PySparkFetchResult['action']): PySparkFetchResult => ({ action, home, jars: connectorJars() });
  if (pysparkProblem() === undefined) return done('cached');
  mkdirSync(home, { recursive: true });

  const venv = join(home, 'venv');
  // Reuse a venv that already has the pinned pyspark (the jars may be what was missing).
  const probe = existsSync(pysparkPython()) ? await runTool(pysparkPython(), ['-c', 'import pyspark; print(pyspark.__version__)'], home) : { code: 1, output: '' };
  if (probe.code !== 0 || probe.output.trim() !== sparkPins.pyspark) {
    rmSync(venv, { recursive: true, force: true });
    const mk = await runTool('python3', ['-m', 'venv', venv], home);
    if (mk.code !== 0) throw new Error(`python3 -m venv failed (exit ${mk.code}):\n${mk.output.trim().slice(-2000)}`);
    // PYSPARK_HADOOP_VERSION makes pyspark's setup download a Spark distribution from Apache mirrors.
    const env = { ...process.env };
    delete env.PYSPARK_HADOOP_VERSION;
    const pip = await runTool(pysparkPython(), ['-m', 'pip', 'install', '-q', `pyspark==${sparkPins.pyspark}`], home, env);
    if (pip.code !== 0) {
      rmSync(venv, { recursive: true, force: true });
      throw new Error(`pip could not install pyspark==${sparkPins.pyspark} (exit ${pip.code}):\n${pip.output.trim().slice(-4000)}`);
    }
  }
  const ml = await runTool(pysparkPython(), ['-c', 'import numpy, pandas; print(numpy.__version__, pandas.__version__)'], home);
  if (ml.code !== 0 || ml.output.trim() !== `${sparkPins.numpy} ${sparkPins.pandas}`) {
    const pip = await runTool(pysparkPython(), ['-m', 'pip', 'install', '-q', `numpy==${sparkPins.numpy}`, `pandas==${sparkPins.pandas}`], home);
    if (pip.code !== 0) throw new Error(`pip could not install numpy==${sparkPins.numpy} pandas==${sparkPins.pandas} (exit ${pip.code}):\n${pip.output.trim().slice(-4000)}`);
  }

  const jars = join(home, 'jars');
  rmSync(jars, { recursive: true, force: true });
  writeFileSync(join(home, 'pom.xml'), pom());
  const mvn = await runTool('mvn', ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', '-DoutputDirectory=jars',
    `-DincludeArtifactIds=${connectorArtifacts().join(',')}`], home);
  if (mvn.code !== 0) {
    rmSync(jars, { recursive: true, force: true });
    throw new Error(`Maven could not fetch the Spark ${sparkPins.pyspark} Kafka connector into ${jars} (exit ${mvn.code}):\n${mvn.output.trim().slice(-4000)}`);
  }
  const names = readdirSync(jars).filter((n) => n.endsWith('.jar')).sort();
  for (const artifact of connectorArtifacts()) {
    if (!names.some((n) => n.startsWith(`${artifact}-`))) throw new Error(`${jars} lacks ${artifact}; Maven resolved ${names.join(', ')}`);
  }
  const manifest: Manifest = { pyspark: sparkPins.pyspark, numpy: sparkPins.numpy, pandas: sparkPins.pandas, jars: names.map((name) => ({ name, size: statSync(join(jars, name)).size })) };
  writeFileSync(join(home, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return done('fetched');
}

/**
 * The classpath of Spark's own Kafka client (kafka-clients from the connector jars, with the
 * logging and compression jars PySpark ships), for running the Java producer Spark uses on its own.
 */
export function javaKafkaClientClasspath(): string[] {
  const site = join(pysparkHome(), 'venv', 'lib');
  const python = readdirSync(site).find((d) => d.startsWith('python'));
  if (!python) throw new Error(`no python directory in ${site}; delete ${pysparkHome()} and run \`npm run services:fetch\``);
  const bundled = join(site, python, 'site-packages', 'pyspark', 'jars');
  const extra = readdirSync(bundled).filter((n) => /^(slf4j-api|lz4-java|snappy-java|zstd-jni)-/.test(n)).map((n) => join(bundled, n));
  return [...connectorJars().filter((j) => /kafka-clients-/.test(j)), ...extra];
}
