/**
 * The PostgreSQL JDBC driver for Spark in the parity tier (`org.postgresql:postgresql`, the version
 * Streamlab's exports name), fetched once from Maven Central into the PySpark cache:
 *
 *   <cache>/pyspark-<ver>/jdbc/postgresql-<jdbc ver>.jar
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool, throwawayPom } from '../services/maven.js';
import { pysparkHome, sparkPins } from './pyspark-dist.js';

/** Where the driver jar is (or will be). */
export function postgresJdbcJar(): string {
  return join(pysparkHome(), 'jdbc', `postgresql-${sparkPins.postgresJdbc}.jar`);
}

/** Makes the driver jar available; idempotent. Throws with Maven's output when the download fails. */
export async function fetchPostgresJdbc(): Promise<string> {
  const jar = postgresJdbcJar();
  if (existsSync(jar)) return jar;
  const dir = join(pysparkHome(), 'jdbc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pom.xml'), throwawayPom({
    comment: 'Written by test/parity/postgres-jdbc.ts: the PostgreSQL JDBC driver for Spark.',
    artifactId: 'spark-postgres-jdbc',
    version: sparkPins.postgresJdbc,
    dependencies: [{ groupId: 'org.postgresql', artifactId: 'postgresql', version: sparkPins.postgresJdbc }],
    dependencyPluginVersion: sparkPins.mavenDependencyPlugin,
  }));
  const mvn = await runTool('mvn', ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', '-DoutputDirectory=.', '-DincludeArtifactIds=postgresql'], dir);
  if (mvn.code !== 0 || !existsSync(jar)) {
    const found = existsSync(dir) ? readdirSync(dir).join(', ') : '';
    rmSync(jar, { force: true });
    throw new Error(`Maven could not fetch org.postgresql:postgresql:${sparkPins.postgresJdbc} into ${dir} (exit ${mvn.code}; found ${found}):\n${mvn.output.trim().slice(-3000)}`);
  }
  return jar;
}
