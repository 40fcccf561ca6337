/**
 * What the local providers share to fetch jars from Maven Central without a build: a throwaway
 * `pom.xml` that only lists dependencies, and a child-process runner that keeps the tool's output for
 * error messages.
 */
import { spawn } from 'node:child_process';

/** One Maven dependency. */
export interface MavenDependency {
  groupId: string;
  artifactId: string;
  version: string;
}

/** A `pom.xml` of packaging `pom` whose runtime classpath is `dependencies`. */
export function throwawayPom(options: { comment: string; artifactId: string; version: string; dependencies: MavenDependency[]; dependencyPluginVersion: string }): string {
  const deps = options.dependencies
    .map((d) => `    <dependency><groupId>${d.groupId}</groupId><artifactId>${d.artifactId}</artifactId><version>${d.version}</version></dependency>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- ${options.comment} -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>streamlab.local</groupId>
  <artifactId>${options.artifactId}</artifactId>
  <version>${options.version}</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>${options.dependencyPluginVersion}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`;
}

/** Runs a command to the end; resolves with its exit code and combined output (never rejects). */
export function runTool(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', (error) => resolve({ code: -1, output: `${output}${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
