/**
 * Lesson 05's deploy step: `streamlab export --lesson 05 --k8s app.yaml` writes the Spark half as a
 * claim for its checkpoints, a ConfigMap (the program, addressed to the classroom's Kafka and
 * PostgreSQL) and a SparkApplication for the Spark operator. The first two pass kubeconform; the SparkApplication, whose CRD schema no
 * registry ships, is held to the operator's required fields and to the classroom's Services, as the
 * SparkApplication template is.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../../runtime/src/export/index.js';
import { kubeconform, kustomizeBuild, parseObjects, type K8sObject } from './k8s-tools.js';

let dir: string;
let objects: (K8sObject & { data?: Record<string, string>; spec?: Record<string, any> })[];
let manifestText: string;
let script: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'streamlab-l05-k8s-'));
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    expect(await runExportCommand(['--lesson', '05', '--out', join(dir, 'job.py'), '--k8s', join(dir, 'app.yaml')])).toBe(0);
  } finally {
    process.stderr.write = write;
  }
  manifestText = readFileSync(join(dir, 'app.yaml'), 'utf8');
  objects = parseObjects(manifestText) as typeof objects;
  script = objects[1]!.data!['locations.py']!;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lesson 05 on Spark on Kubernetes', () => {
  it('is a claim for the checkpoints, a ConfigMap with the program and a SparkApplication that runs it; the first two pass kubeconform', () => {
    expect(objects.map((o) => [o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ['v1', 'PersistentVolumeClaim', 'locations-checkpoints', 'streamlab'],
      ['v1', 'ConfigMap', 'locations-job', 'streamlab'],
      ['sparkoperator.k8s.io/v1beta2', 'SparkApplication', 'locations', 'streamlab'],
    ]);
    const [claim, configMap] = manifestText.split(/^---$/m);
    expect(kubeconform(`${claim}---${configMap}`).summary).toEqual({ valid: 2, invalid: 0, errors: 0, skipped: 0 });
    // No YAML anchors: what kubectl and the operator read is what is written.
    expect(manifestText).not.toMatch(/[&*]a\d/);
  });

  it('carries the exported program addressed to the cluster: the JDBC write of the tutorial\'s job, the password from the Secret', () => {
    const local = readFileSync(join(dir, 'job.py'), 'utf8');
    expect(local).toContain('batch_df.write.jdbc(url="jdbc:postgresql://localhost:5432/streamlab", table="locations", mode="append", properties={"user": "streamlab", "password": "streamlab", "driver": "org.postgresql.Driver"})');
    expect(script).not.toContain('localhost');
    expect(script).toContain('.option("kafka.bootstrap.servers", "kafka.streamlab.svc.cluster.local:9092")');
    expect(script).toContain('batch_df.write.jdbc(url="jdbc:postgresql://postgres.streamlab.svc.cluster.local:5432/streamlab?user=streamlab", table="locations", mode="append", properties={"password": os.environ["PGPASSWORD"], "driver": "org.postgresql.Driver"})');
    expect(script).toMatch(/^import os$/m);
    expect(script).toContain('The program also runs a flow (Pekko Streams), which is not Spark and is not exported.');
    // It is valid Python.
    expect(execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read()); print("ok")'], { input: script, encoding: 'utf8' }).trim()).toBe('ok');
  });

  it('has the fields the operator\'s CRD requires, the Kafka connector of the image\'s Spark and Scala, and the checkpoints mounted', () => {
    const app = objects[2]!.spec!;
    expect(Object.keys(app).sort()).toEqual([
      'deps', 'driver', 'executor', 'image', 'imagePullPolicy', 'mainApplicationFile', 'mode', 'pythonVersion', 'restartPolicy', 'sparkConf',
      'sparkVersion', 'type', 'volumes',
    ]);
    expect([app.type, app.mode, app.pythonVersion, app.mainApplicationFile]).toEqual(['Python', 'cluster', '3', 'local:///opt/streamlab/job/locations.py']);
    const [, sparkVersion, scala] = /^spark:(\d+\.\d+\.\d+)-scala(\d+\.\d+)-/.exec(app.image)!;
    expect(app.sparkVersion).toBe(sparkVersion);
    expect(app.deps.packages).toEqual([`org.apache.spark:spark-sql-kafka-0-10_${scala}:${sparkVersion}`, 'org.postgresql:postgresql:42.7.4']);
    const template = parse(readFileSync(join(import.meta.dirname, '../../../k8s/spark/sparkapplication.yaml'), 'utf8')) as { spec: Record<string, any> };
    expect([app.image, app.deps.packages]).toEqual([template.spec.image, template.spec.deps.packages]);
    const job = { name: 'job', mountPath: '/opt/streamlab/job' };
    expect([app.driver.volumeMounts, app.executor.volumeMounts]).toEqual([[job, { name: 'checkpoints', mountPath: '/checkpoints' }], [job]]);
    expect(app.volumes).toEqual([{ name: 'job', configMap: { name: 'locations-job' } }, { name: 'checkpoints', persistentVolumeClaim: { claimName: 'locations-checkpoints' } }]);
    expect(script).toContain('.option("checkpointLocation", "/checkpoints/locations-append")');
    expect([app.executor.instances, app.executor.memory, app.driver.memory]).toEqual([1, '2g', '1g']);
  });

  it('points at the Kafka and PostgreSQL Services and the Secret of the classroom', () => {
    const base = parseObjects(kustomizeBuild('k8s/base'));
    const find = (kind: string, name: string) => base.find((o) => o.kind === kind && o.metadata.name === name)!;
    const port = (o: K8sObject) => (o.spec as { ports: { port: number }[] }).ports[0]!.port;
    const kafka = find('Service', 'kafka');
    const postgres = find('Service', 'postgres');
    const config = (base.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('streamlab-config-'))!.data) as Record<string, string>;
    expect(script).toContain(`"kafka.${kafka.metadata.namespace}.svc.cluster.local:${port(kafka)}"`);
    expect(script).toContain(`"jdbc:postgresql://postgres.${postgres.metadata.namespace}.svc.cluster.local:${port(postgres)}/${config.POSTGRES_DB}?user=${config.POSTGRES_USER}"`);
    const secretRef = objects[2]!.spec!.driver.env[0].valueFrom.secretKeyRef;
    expect(Object.keys(find('Secret', secretRef.name).data as object)).toContain(secretRef.key);
  });
});
