/**
 * Runs kustomize and kubeconform, the two Go tools that validate `k8s/`. They are found through
 * env `KUSTOMIZE` / `KUBECONFORM`, then `PATH`, then the Go install directory (`$GOBIN`, or
 * `$GOPATH/bin`, or `~/go/bin`), which is where CI's `go install` puts them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './compose-file.js';

/** Pinned versions; CI installs exactly these. */
export const KUSTOMIZE_VERSION = 'v5.8.2';
export const KUBECONFORM_VERSION = 'v0.8.0';
/** Kubernetes version whose schemas are vendored under k8s/schemas/. */
export const KUBERNETES_VERSION = '1.32.0';

const install: Record<string, string> = {
  kustomize: `go install sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}`,
  kubeconform: `go install github.com/yannh/kubeconform/cmd/kubeconform@${KUBECONFORM_VERSION}`,
};

/** Absolute path of a tool, or an error that says how to install it. */
export function findTool(name: 'kustomize' | 'kubeconform'): string {
  const override = process.env[name.toUpperCase()];
  if (override) {
    if (!existsSync(override)) throw new Error(`${name.toUpperCase()}=${override} does not exist`);
    return override;
  }
  const goBin = process.env.GOBIN || join(process.env.GOPATH || join(homedir(), 'go'), 'bin');
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), goBin];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found on PATH nor in ${goBin}: install it with \`${install[name]}\` (or set ${name.toUpperCase()})`);
}

/** A Kubernetes object, as far as these tests read it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** `kustomize build DIR` (DIR relative to the repository root), as YAML text. */
export function kustomizeBuild(dir: string): string {
  return execFileSync(findTool('kustomize'), ['build', join(repoRoot, dir)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Parses a multi-document YAML stream into objects. */
export function parseObjects(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
    return doc.toJS() as K8sObject;
  }).filter((o) => o !== null);
}

/** kubeconform's JSON summary of one run. */
export interface KubeconformSummary {
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
}

/** kubeconform's JSON report: the summary, and one entry per resource that was not valid. */
export interface KubeconformReport {
  resources: { filename: string; kind: string; name: string; status: string; msg: string }[];
  summary: KubeconformSummary;
}

/**
 * Validates a YAML stream with kubeconform against the vendored strict schemas only: no schema is
 * ever fetched, so a kind without a vendored schema is an error, not a skip.
 */
export function kubeconform(yamlText: string): KubeconformReport {
  const location = join(repoRoot, 'k8s/schemas/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json');
  const args = ['-strict', '-summary', '-output', 'json', '-kubernetes-version', KUBERNETES_VERSION, '-schema-location', location, '-'];
  let out: string;
  try {
    out = execFileSync(findTool('kubeconform'), args, { input: yamlText, encoding: 'utf8' });
  } catch (error) {
    // kubeconform exits 1 when a resource is invalid; its report is still on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    out = stdout;
  }
  return JSON.parse(out) as KubeconformReport;
}
