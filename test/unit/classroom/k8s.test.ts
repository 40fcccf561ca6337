/**
 * The Kubernetes manifests, checked without a cluster: every kustomization builds, every rendered
 * object passes kubeconform against the vendored strict Kubernetes schemas, the objects refer to
 * each other correctly, and the classroom roster drives one pod per student.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLessons } from '../../../runtime/src/lessons/load-lessons.js';
import { repoRoot } from './compose-file.js';
import { kubeconform, kustomizeBuild, parseObjects, type K8sObject } from './k8s-tools.js';

const kustomizations = ['k8s/base', 'k8s/overlays/dev', 'k8s/overlays/classroom'];
const rendered = new Map(kustomizations.map((dir) => [dir, kustomizeBuild(dir)]));
const objectsOf = (dir: string): K8sObject[] => parseObjects(rendered.get(dir)!);
const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: Record<string, { name: string; key: string }> }[];
}
interface PodSpec { containers: Container[]; initContainers?: Container[] }
const podSpec = (o: K8sObject): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;
const envOf = (c: Container): Record<string, string | undefined> => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));

const rosterPath = join(repoRoot, 'k8s/overlays/classroom/roster.csv');
const selectStudent = join(repoRoot, 'k8s/overlays/classroom/select-student.sh');
const studentAccess = join(repoRoot, 'k8s/overlays/classroom/student-access.sh');
const rosterRows = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

describe.each(kustomizations)('%s', (dir) => {
  it('passes kubeconform against the vendored Kubernetes 1.32 schemas', () => {
    const objects = objectsOf(dir);
    const report = kubeconform(rendered.get(dir)!);
    expect(report.resources).toEqual([]);
    expect(report.summary).toEqual({ valid: objects.length, invalid: 0, errors: 0, skipped: 0 });
  });

  it('puts everything in the streamlab namespace', () => {
    const objects = objectsOf(dir);
    expect(objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'streamlab')).toEqual([]);
    expect(find(objects, 'Namespace', 'streamlab').metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'streamlab' });
  });

  it('refers only to ConfigMap and Secret keys that exist', () => {
    const objects = objectsOf(dir);
    const keys = new Set<string>();
    for (const o of objects) {
      if (o.kind === 'ConfigMap' || o.kind === 'Secret') {
        for (const key of Object.keys((o.data ?? {}) as object)) keys.add(`${o.kind}/${o.metadata.name}/${key}`);
      }
    }
    const missing: string[] = [];
    for (const o of objects.filter((x) => x.kind === 'StatefulSet' || x.kind === 'Deployment')) {
      const spec = podSpec(o);
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
          if (!ref) continue;
          const kind = e.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
          if (!keys.has(`${kind}/${ref.name}/${ref.key}`)) missing.push(`${o.metadata.name}/${c.name}: ${kind}/${ref.name}/${ref.key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('turns off Service environment links in every pod', () => {
    // A Service named `streamlab` makes Kubernetes set STREAMLAB_PORT=tcp://<ip>:80 in every pod of the
    // namespace, which the runtime reads as its port (and KAFKA_* variables become broker settings).
    const workloads = objectsOf(dir).filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment');
    expect(workloads.map((o) => [o.metadata.name, (o.spec as { template: { spec: { enableServiceLinks?: boolean } } }).template.spec.enableServiceLinks]))
      .toEqual(workloads.map((o) => [o.metadata.name, false]));
  });

  it('runs as many Kafka controllers as the quorum lists, each advertised by the headless Service', () => {
    const objects = objectsOf(dir);
    const kafka = find(objects, 'StatefulSet', 'kafka');
    const replicas = (kafka.spec as { replicas: number }).replicas;
    const env = envOf(podSpec(kafka).containers[0]!);
    const voters = Array.from({ length: replicas }, (_, i) => `${i}@kafka-${i}.kafka-headless:9093`).join(',');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(voters);
    expect((kafka.spec as { serviceName: string }).serviceName).toBe('kafka-headless');
    expect((find(objects, 'Service', 'kafka-headless').spec as { clusterIP: string }).clusterIP).toBe('None');
    // A replication factor above the broker count makes every internal topic fail to be created.
    for (const name of ['KAFKA_DEFAULT_REPLICATION_FACTOR', 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR']) {
      expect({ name, value: Number(env[name]) }).toEqual({ name, value: replicas });
    }
  });

  it('opens a SASL_PLAINTEXT listener with SCRAM, creates the users the lessons give, and points the runtime at it', async () => {
    const objects = objectsOf(dir);
    const kafka = find(objects, 'StatefulSet', 'kafka');
    const container = podSpec(kafka).containers[0]!;
    const env = envOf(container);
    expect(env.KAFKA_LISTENERS).toBe('PLAINTEXT://:9092,CONTROLLER://:9093,SASL://:9095');
    expect(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP).toBe('PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_PLAINTEXT');
    expect(container.command!.join('\n')).toContain('SASL://${HOSTNAME}.kafka-headless:9095');
    expect(env.KAFKA_LISTENER_NAME_SASL_SASL_ENABLED_MECHANISMS).toBe('SCRAM-SHA-512,SCRAM-SHA-256');
    for (const m of ['512', '256']) expect(env[`KAFKA_LISTENER_NAME_SASL_SCRAM___SHA___${m}_SASL_JAAS_CONFIG`]).toBe('org.apache.kafka.common.security.scram.ScramLoginModule required;');
    const ports = (name: string) => (find(objects, 'Service', name).spec as { ports: { name: string; port: number }[] }).ports.map((p) => [p.name, p.port]);
    expect(ports('kafka')).toContainEqual(['sasl', 9095]);
    expect(ports('kafka-headless')).toContainEqual(['sasl', 9095]);
    // The Job's user and passwords are exactly the lessons' (front matter kafka.sasl.users), both mechanisms.
    const job = find(objects, 'Job', 'kafka-users');
    const command = podSpec(job).containers[0]!.command!;
    expect(podSpec(job).containers[0]!.image).toBe(container.image);
    // One kafka-configs call per mechanism, as in compose (one user twice in one request is refused).
    const lessonUsers = (await loadLessons(join(repoRoot, 'lessons'))).flatMap((l) => l.kafka?.sasl.users ?? []);
    expect(lessonUsers).toHaveLength(1);
    const { username, password } = lessonUsers[0]!;
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(command[2]!.replace(/\s+/g, ' ')).toBe('for mechanism in SCRAM-SHA-512 SCRAM-SHA-256; do /opt/kafka/bin/kafka-configs.sh --bootstrap-server kafka:9092 '
      + `--alter --entity-type users --entity-name ${username} --add-config "$mechanism=[password=${password}]" || exit 1; done`);
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('streamlab-config-'))!.data as Record<string, string>;
    expect(config.STREAMLAB_KAFKA_SASL).toBe('kafka:9095');
    for (const o of objects.filter((x) => (x.kind === 'Deployment' || x.kind === 'StatefulSet') && x.metadata.name.startsWith('streamlab'))) {
      expect(podSpec(o).containers[0]!.env!.find((e) => e.name === 'STREAMLAB_KAFKA_SASL')?.valueFrom?.configMapKeyRef?.key).toBe('STREAMLAB_KAFKA_SASL');
    }
  });
});

describe('overlays', () => {
  it('dev runs one broker and one shared Streamlab runtime behind an Ingress', () => {
    const objects = objectsOf('k8s/overlays/dev');
    expect((find(objects, 'StatefulSet', 'kafka').spec as { replicas: number }).replicas).toBe(1);
    const streamlab = find(objects, 'Deployment', 'streamlab');
    expect((streamlab.spec as { replicas: number }).replicas).toBe(1);
    expect(podSpec(streamlab).containers[0]!.args).toEqual(['start', '--host', '0.0.0.0', '--port', '5170', '--data-dir', '/data', '--no-open']);
    expect(podSpec(streamlab).containers[0]!.image).toBe('streamlab:0.1.0');
    // The browser's page origin is the Ingress host: the runtime must accept it.
    const ingress = find(objects, 'Ingress', 'streamlab');
    const host = (ingress.spec as { rules: { host: string }[] }).rules[0]!.host;
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('streamlab-config-'))!.data as Record<string, string>;
    expect(config.STREAMLAB_ALLOWED_ORIGINS!.split(',')).toEqual([`http://${host}`, `https://${host}`]);
    expect(podSpec(streamlab).containers[0]!.env!.find((e) => e.name === 'STREAMLAB_ALLOWED_ORIGINS')!.valueFrom!.configMapKeyRef!.name)
      .toBe(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('streamlab-config-'))!.metadata.name);
  });

  it('classroom runs a Streamlab StatefulSet with one pod per roster row instead of the shared runtime', () => {
    const objects = objectsOf('k8s/overlays/classroom');
    const rows = rosterRows(readFileSync(rosterPath, 'utf8'));
    const streamlab = find(objects, 'StatefulSet', 'streamlab');
    expect((streamlab.spec as { replicas: number }).replicas).toBe(rows.length);
    expect((find(objects, 'StatefulSet', 'kafka').spec as { replicas: number }).replicas).toBe(3);
    expect(objects.filter((o) => o.kind === 'Deployment' || o.kind === 'PersistentVolumeClaim')).toEqual([]);
    const services = objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort();
    const students = rows.map((r) => `streamlab-${r.split(',')[0]!.replace(/_/g, '-')}`);
    expect(services).toEqual(['kafka', 'kafka-headless', 'postgres', 'streamlab-pods', ...students].sort());
    const container = podSpec(streamlab).containers[0]!;
    expect(container.command).toEqual(['/bin/sh', '/classroom/bin/select-student.sh', 'node', 'runtime/bin/streamlab.js']);
    expect(podSpec(streamlab).initContainers!.map((c) => c.command!.slice(0, 2))).toEqual([['/bin/sh', '/classroom/bin/select-student.sh']]);
  });

  it('classroom mounts the roster and the script that are in the repository', () => {
    const objects = objectsOf('k8s/overlays/classroom');
    const roster = objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('classroom-roster-'))!;
    expect(Buffer.from((roster.data as Record<string, string>)['roster.csv']!, 'base64').toString('utf8')).toBe(readFileSync(rosterPath, 'utf8'));
    const scripts = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('classroom-scripts-'))!;
    expect((scripts.data as Record<string, string>)['select-student.sh']).toBe(readFileSync(selectStudent, 'utf8'));
  });

  it('classroom student-access.yaml is what student-access.sh makes of the roster', () => {
    const generated = execFileSync('sh', [studentAccess], { encoding: 'utf8' });
    expect(readFileSync(join(repoRoot, 'k8s/overlays/classroom/student-access.yaml'), 'utf8')).toBe(generated);
    const ingress = parseObjects(generated).find((o) => o.kind === 'Ingress')!;
    const hosts = (ingress.spec as { rules: { host: string }[] }).rules.map((r) => r.host);
    expect(hosts).toEqual(['ada.streamlab.localtest.me', 'grace.streamlab.localtest.me', 'linus.streamlab.localtest.me']);
    const selectors = parseObjects(generated).filter((o) => o.kind === 'Service')
      .map((o) => (o.spec as { selector: Record<string, string> }).selector['statefulset.kubernetes.io/pod-name']);
    expect(selectors).toEqual(['streamlab-0', 'streamlab-1', 'streamlab-2']);
    // Each pod accepts its own student's host as page origin: the domain must be the Ingress's.
    const config = objectsOf('k8s/overlays/classroom').find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('classroom-config-'))!;
    const domain = (config.data as Record<string, string>).STREAMLAB_CLASS_DOMAIN!;
    expect(hosts.every((h) => h.endsWith(`.${domain}`))).toBe(true);
    expect(domain).toBe('streamlab.localtest.me');
  });
});

describe('select-student.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamlab-roster-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const roster = join(dir, 'roster.csv');
  writeFileSync(roster, '# student,token\r\nada,token-ada-0001\r\n\r\n  grace , token-grace-02 \r\nlin_us,token-linus-03\r\n');

  /** Runs the script as pod HOSTNAME, with `env` as the command so the exported variables show. */
  function run(hostname: string, extraEnv: Record<string, string> = {}, file = roster) {
    const result = spawnSync('sh', [selectStudent, 'env'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH!, HOSTNAME: hostname, STREAMLAB_ROSTER: file, ...extraEnv },
    });
    const env = Object.fromEntries(result.stdout.split('\n').filter((l) => l.startsWith('STREAMLAB_')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { status: result.status, env, stderr: result.stderr.trim() };
  }

  it('gives pod N the roster row N: token, topic prefix and schema', () => {
    expect(run('streamlab-0', { STREAMLAB_PG: 'postgres://u:p@postgres:5432/streamlab' })).toEqual({
      status: 0,
      stderr: '',
      env: {
        STREAMLAB_ROSTER: roster,
        STREAMLAB_STUDENT: 'ada',
        STREAMLAB_TOKEN: 'token-ada-0001',
        STREAMLAB_TOPIC_PREFIX: 'ada.',
        STREAMLAB_PG_SCHEMA: 'ada',
        STREAMLAB_PG: 'postgres://u:p@postgres:5432/streamlab?options=-c%20search_path%3Dada',
      },
    });
    // Blank lines, comments, spaces and CRLF endings are skipped; an existing query string is kept.
    const grace = run('streamlab-1', { STREAMLAB_PG: 'postgres://u:p@postgres:5432/streamlab?sslmode=disable' });
    expect([grace.env.STREAMLAB_STUDENT, grace.env.STREAMLAB_TOKEN, grace.env.STREAMLAB_PG])
      .toEqual(['grace', 'token-grace-02', 'postgres://u:p@postgres:5432/streamlab?sslmode=disable&options=-c%20search_path%3Dgrace']);
    const linus = run('streamlab-2');
    expect([linus.env.STREAMLAB_TOPIC_PREFIX, linus.env.STREAMLAB_PG_SCHEMA, linus.env.STREAMLAB_PG]).toEqual(['lin_us.', 'lin_us', undefined]);
  });

  it('adds the student address to the accepted page origins when the class domain is set', () => {
    expect(run('streamlab-2', { STREAMLAB_CLASS_DOMAIN: 'class.example.org' }).env.STREAMLAB_ALLOWED_ORIGINS)
      .toBe('http://lin-us.class.example.org,https://lin-us.class.example.org');
    expect(run('streamlab-0', { STREAMLAB_CLASS_DOMAIN: 'class.example.org', STREAMLAB_ALLOWED_ORIGINS: 'http://teacher.example.org' }).env.STREAMLAB_ALLOWED_ORIGINS)
      .toBe('http://teacher.example.org,http://ada.class.example.org,https://ada.class.example.org');
    expect(run('streamlab-0').env.STREAMLAB_ALLOWED_ORIGINS).toBeUndefined();
  });

  it('refuses a pod without a roster row, and rows it cannot use', () => {
    expect(run('streamlab-3')).toEqual({ status: 1, env: {}, stderr: 'select-student: the roster has 3 students, so pod ordinal 3 has none: lower the replicas or add a row' });
    expect(run('streamlab')).toEqual({ status: 1, env: {}, stderr: "select-student: cannot take a pod ordinal from HOSTNAME 'streamlab'" });
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'Ada,token-ada-0001\npg_x,token-pgx-0001\nbo,short\nnotoken\n');
    expect(run('s-0', {}, bad).stderr).toBe("select-student: student 'Ada' (row 1) must be lowercase letters, digits and '_', starting with a letter");
    expect(run('s-1', {}, bad).stderr).toBe("select-student: student 'pg_x' (row 2): PostgreSQL reserves schema names starting with pg_");
    expect(run('s-2', {}, bad).stderr).toBe("select-student: student 'bo' (row 3) needs a token of 8 to 200 characters");
    expect(run('s-3', {}, bad).stderr).toBe("select-student: roster row 4 'notoken' is not 'student,token'");
    expect(run('s-0', {}, join(dir, 'missing.csv')).stderr).toBe(`select-student: cannot read the roster at ${join(dir, 'missing.csv')}`);
  });

  it('every token in the committed roster is one the runtime accepts, and students are unique', () => {
    const rows = rosterRows(readFileSync(rosterPath, 'utf8')).map((r) => r.split(','));
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
    for (let i = 0; i < rows.length; i += 1) {
      const result = run(`streamlab-${i}`, {}, rosterPath);
      expect({ status: result.status, student: result.env.STREAMLAB_STUDENT }).toEqual({ status: 0, student: rows[i]![0] });
    }
  });
});

describe('SparkApplication template', () => {
  // No registry ships the Spark operator's CRD schema, so the fields it requires are checked here.
  const app = parse(readFileSync(join(repoRoot, 'k8s/spark/sparkapplication.yaml'), 'utf8')) as K8sObject & { spec: Record<string, any> };

  it('is a Python SparkApplication of the operator API with the fields the CRD requires', () => {
    expect([app.apiVersion, app.kind, app.metadata.namespace]).toEqual(['sparkoperator.k8s.io/v1beta2', 'SparkApplication', 'streamlab']);
    expect(Object.keys(app.spec).sort()).toEqual([
      'arguments', 'deps', 'driver', 'executor', 'image', 'imagePullPolicy', 'mainApplicationFile', 'mode', 'pythonVersion',
      'restartPolicy', 'sparkConf', 'sparkVersion', 'type', 'volumes',
    ]);
    expect([app.spec.type, app.spec.mode, app.spec.pythonVersion]).toEqual(['Python', 'cluster', '3']);
    expect(app.spec.mainApplicationFile).toBe('local:///opt/streamlab/job/lesson.py');
    expect(app.spec.driver.volumeMounts).toEqual([{ name: 'job', mountPath: '/opt/streamlab/job' }]);
    expect(app.spec.executor.volumeMounts).toEqual([{ name: 'job', mountPath: '/opt/streamlab/job' }]);
  });

  it('uses the Kafka connector built for the image\'s Spark and Scala versions, and the JDBC driver', () => {
    const image = /^spark:(\d+\.\d+\.\d+)-scala(\d+\.\d+)-/.exec(app.spec.image)!;
    expect(image).not.toBeNull();
    const [, sparkVersion, scala] = image;
    expect(app.spec.sparkVersion).toBe(sparkVersion);
    expect(app.spec.deps.packages).toEqual([`org.apache.spark:spark-sql-kafka-0-10_${scala}:${sparkVersion}`, 'org.postgresql:postgresql:42.7.4']);
  });

  it('points at the Kafka and PostgreSQL Services and the Secret of the streamlab namespace', () => {
    const base = objectsOf('k8s/base');
    const kafka = find(base, 'Service', 'kafka');
    const postgres = find(base, 'Service', 'postgres');
    const port = (o: K8sObject) => (o.spec as { ports: { port: number }[] }).ports[0]!.port;
    const config = (find(base, 'ConfigMap', base.find((o) => o.metadata.name.startsWith('streamlab-config-'))!.metadata.name).data) as Record<string, string>;
    expect(app.spec.arguments).toEqual([
      '--kafka', `kafka.${kafka.metadata.namespace}.svc.cluster.local:${port(kafka)}`,
      '--jdbc-url', `jdbc:postgresql://postgres.${postgres.metadata.namespace}.svc.cluster.local:${port(postgres)}/${config.POSTGRES_DB}?user=${config.POSTGRES_USER}`,
    ]);
    // Applied outside kustomize, so it needs the Secret's fixed (unhashed) name.
    const secret = find(base, 'Secret', 'streamlab-secrets');
    expect(Object.keys(secret.data as object)).toContain(app.spec.driver.env[0].valueFrom.secretKeyRef.key);
    expect(app.spec.driver.env[0].valueFrom.secretKeyRef.name).toBe('streamlab-secrets');
  });
});
