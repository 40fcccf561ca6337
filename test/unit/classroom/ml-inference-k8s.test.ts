/**
 * Lesson 06 on Spark on Kubernetes: the model ConfigMap passes kubeconform and holds exactly the
 * lesson's model files, the SparkApplication lays them out again where the exported job loads them
 * (`PipelineModel.load("model")` in the driver's working directory, read by the executors too), and
 * its image adds to the official Spark image the NumPy and pandas the parity tier tests with.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './compose-file.js';
import { kubeconform, parseObjects, type K8sObject } from './k8s-tools.js';

const MODEL = join(repoRoot, 'lessons/06-stream-inference/model');
const configMapText = readFileSync(join(repoRoot, 'k8s/spark/ml-inference-model.yaml'), 'utf8');
const app = parse(readFileSync(join(repoRoot, 'k8s/spark/ml-inference-sparkapplication.yaml'), 'utf8')) as K8sObject & { spec: Record<string, any> };
const lessonApp = parse(readFileSync(join(repoRoot, 'k8s/spark/sparkapplication.yaml'), 'utf8')) as K8sObject & { spec: Record<string, any> };
const pins = JSON.parse(readFileSync(join(repoRoot, 'test/services/pins.json'), 'utf8')) as Record<string, string>;

function partFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? partFiles(p) : n.startsWith('part-') ? [relative(MODEL, p)] : [];
  });
}

describe('lesson 06 on Spark on Kubernetes', () => {
  it('the model ConfigMap passes kubeconform and holds the model\'s metadata and Parquet files byte for byte', () => {
    const report = kubeconform(configMapText);
    expect(report.resources).toEqual([]);
    expect(report.summary).toEqual({ valid: 1, invalid: 0, errors: 0, skipped: 0 });
    const [cm] = parseObjects(configMapText) as (K8sObject & { binaryData: Record<string, string> })[];
    expect([cm!.kind, cm!.metadata.name, cm!.metadata.namespace]).toEqual(['ConfigMap', 'streamlab-ml-model', 'streamlab']);
    const files = partFiles(MODEL);
    expect(files).toHaveLength(6);
    expect(Object.keys(cm!.binaryData).sort()).toEqual(files.map((f) => f.replaceAll('/', '..')).sort());
    for (const f of files) expect(Buffer.from(cm!.binaryData[f.replaceAll('/', '..')]!, 'base64').equals(readFileSync(join(MODEL, f))), f).toBe(true);
  });

  it('is what model-configmap.mjs writes from the lesson\'s model (regenerate it after retraining)', () => {
    const written = execFileSync(process.execPath, [join(repoRoot, 'k8s/spark/model-configmap.mjs'), 'lessons/06-stream-inference/model'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(written).toBe(configMapText);
  });

  it('mounts the model as the folder the job loads, on the driver and the executors', () => {
    expect([app.apiVersion, app.kind, app.metadata.namespace, app.spec.type, app.spec.mode]).toEqual(['sparkoperator.k8s.io/v1beta2', 'SparkApplication', 'streamlab', 'Python', 'cluster']);
    const model = (app.spec.volumes as { name: string; configMap: { name: string; items: { key: string; path: string }[] } }[]).find((v) => v.name === 'model')!;
    expect(model.configMap.name).toBe('streamlab-ml-model');
    expect(model.configMap.items.map((i) => [i.key, i.path])).toEqual(partFiles(MODEL).map((f) => [f.replaceAll('/', '..'), f]));
    // The official Spark image's working directory, where a relative "model" resolves.
    const mount = { name: 'model', mountPath: '/opt/spark/work-dir/model', readOnly: true };
    expect(app.spec.driver.volumeMounts).toContainEqual(mount);
    expect(app.spec.executor.volumeMounts).toEqual([mount]);
    expect(app.spec.driver.volumeMounts).toContainEqual({ name: 'job', mountPath: '/opt/streamlab/job' });
    expect(app.spec.mainApplicationFile).toBe('local:///opt/streamlab/job/lesson.py');
  });

  it('runs on the other template\'s Spark image plus the numpy and pandas the parity tier pins', () => {
    const dockerfile = readFileSync(join(repoRoot, 'k8s/spark/Dockerfile.ml'), 'utf8');
    expect(/^FROM (\S+)$/m.exec(dockerfile)?.[1]).toBe(lessonApp.spec.image);
    expect(/pip3 install --no-cache-dir (.+)$/m.exec(dockerfile)?.[1]).toBe(`numpy==${pins.numpy} pandas==${pins.pandas}`);
    expect(app.spec.sparkVersion).toBe(lessonApp.spec.sparkVersion);
    expect(app.spec.deps.packages).toEqual([lessonApp.spec.deps.packages[0]]);
  });
});
