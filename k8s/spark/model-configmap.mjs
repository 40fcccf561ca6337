#!/usr/bin/env node
// Writes a ConfigMap holding a saved Spark ML model (its metadata and Parquet part files, no
// checksums or markers) with the `items` that lay the files out again as the model's folders when
// the ConfigMap is mounted. Used for lesson 06:
//
//   node k8s/spark/model-configmap.mjs lessons/06-stream-inference/model > k8s/spark/ml-inference-model.yaml
//
// ConfigMap keys cannot hold "/", so each file's key is its path with "/" written as "..".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node k8s/spark/model-configmap.mjs MODEL_DIR > manifest.yaml\n');
  process.exit(2);
}
const name = process.argv[3] ?? 'streamlab-ml-model';

function files(at) {
  return readdirSync(at).sort().flatMap((n) => {
    const p = join(at, n);
    if (statSync(p).isDirectory()) return files(p);
    return n.startsWith('part-') ? [p] : [];
  });
}

const entries = files(dir).map((p) => {
  const path = relative(dir, p).split('\\').join('/');
  return { key: path.replaceAll('/', '..'), path, data: readFileSync(p).toString('base64') };
});
const out = [
  `# A saved Spark ML model as a ConfigMap: written by k8s/spark/model-configmap.mjs from ${dir.replace(/\/+$/, '')}.`,
  '# Mount it with the items of k8s/spark/ml-inference-sparkapplication.yaml to get the folder back.',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  `  name: ${name}`,
  '  namespace: streamlab',
  '  labels:',
  '    app.kubernetes.io/part-of: streamlab',
  'binaryData:',
  ...entries.map((e) => `  ${e.key}: ${e.data}`),
  '',
];
process.stdout.write(out.join('\n'));
process.stderr.write(`model-configmap: ${entries.length} files; volume items:\n${entries.map((e) => `  - key: ${e.key}\n    path: ${e.path}`).join('\n')}\n`);
