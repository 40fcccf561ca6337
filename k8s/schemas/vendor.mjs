#!/usr/bin/env node
/**
 * Rebuilds the pinned Kubernetes JSON schemas under k8s/schemas/ from the PyPI package
 * `kubernetes-validate` (which ships the upstream OpenAPI schemas converted to JSON Schema).
 *
 * Usage (see k8s/schemas/README.md for the exact versions in use):
 *   pip download --no-deps -d /tmp/kv kubernetes-validate==1.37.0
 *   unzip -q /tmp/kv/kubernetes_validate-1.37.0-py3-none-any.whl -d /tmp/kv/x
 *   node k8s/schemas/vendor.mjs /tmp/kv/x/kubernetes_validate/kubernetes-json-schema v1.32.0
 *
 * The package's "local" schemas point into one shared `/api/_definitions.json` by absolute
 * reference, which kubeconform would try to download. This script writes "standalone" schemas
 * instead: each kind's schema with exactly the definitions it reaches copied into its own
 * `$defs`, so validation never touches the network. Only the kinds our manifests use are kept.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** File stems (kind-group-version, as kubernetes-validate names them) that k8s/ uses. */
const KINDS = [
  'configmap-v1',
  'secret-v1',
  'service-v1',
  'statefulset-apps-v1',
  'deployment-apps-v1',
  'ingress-networking-v1',
  'poddisruptionbudget-policy-v1',
  'namespace-v1',
  'persistentvolumeclaim-v1',
  'job-batch-v1',
];

const SHARED = '/api/_definitions.json#/$defs/';

function main() {
  const [root, version] = process.argv.slice(2);
  if (!root || !version) {
    console.error('usage: node k8s/schemas/vendor.mjs <kubernetes-json-schema dir> <vX.Y.Z>');
    process.exit(2);
  }
  const source = join(root, `${version}-local-strict`);
  const target = join(dirname(fileURLToPath(import.meta.url)), `${version}-standalone-strict`);
  mkdirSync(target, { recursive: true });
  const shared = JSON.parse(readFileSync(join(source, '_definitions.json'), 'utf8')).$defs;

  for (const stem of KINDS) {
    const schema = JSON.parse(readFileSync(join(source, `${stem}.json`), 'utf8'));
    const defs = {};
    const pending = [];
    const rewrite = (node) => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      const out = {};
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && (value.startsWith(SHARED) || value.startsWith('#/$defs/'))) {
          const name = value.startsWith(SHARED) ? value.slice(SHARED.length) : value.slice('#/$defs/'.length);
          if (!(name in defs)) {
            defs[name] = null;
            pending.push(name);
          }
          out[key] = `#/$defs/${name}`;
        } else {
          out[key] = rewrite(value);
        }
      }
      return out;
    };
    const standalone = rewrite(schema);
    while (pending.length > 0) {
      const name = pending.shift();
      if (!(name in shared)) throw new Error(`${stem}: definition ${name} not found in _definitions.json`);
      defs[name] = rewrite(shared[name]);
    }
    // The package's $id points at kubernetes.io; a standalone schema needs no base URI.
    delete standalone.$id;
    standalone.$defs = Object.fromEntries(Object.keys(defs).sort().map((name) => [name, defs[name]]));
    writeFileSync(join(target, `${stem}.json`), `${JSON.stringify(standalone, null, 2)}\n`);
    console.log(`${stem}: ${Object.keys(defs).length} definitions`);
  }
}

main();
