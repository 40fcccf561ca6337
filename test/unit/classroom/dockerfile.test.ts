/**
 * The container image recipe, checked without a Docker daemon: the shape the classroom setups rely
 * on (Node 20 slim, multi-stage, non-root, health check, port), and that the dependency layer
 * copies every workspace manifest `npm ci` needs, so a new workspace cannot silently break it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './compose-file.js';

interface Instruction { keyword: string; args: string }

/** Splits a Dockerfile into instructions, joining continuation lines and dropping comments. */
function instructions(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current === '' && line.trim().startsWith('#')) continue;
    if (line.trimEnd().endsWith('\\')) {
      current += `${line.trimEnd().slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  return logical.map((l) => {
    const space = l.indexOf(' ');
    return { keyword: l.slice(0, space).toUpperCase(), args: l.slice(space + 1).trim().replace(/\s+/g, ' ') };
  });
}

const dockerfile = instructions(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const of = (keyword: string): string[] => dockerfile.filter((i) => i.keyword === keyword).map((i) => i.args);

/** The instructions of each stage, keyed by the stage's name (`final` for the unnamed last one). */
function stages(): Map<string, Instruction[]> {
  const result = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of dockerfile) {
    if (instruction.keyword === 'FROM') {
      current = [];
      result.set(/ AS (\S+)$/.exec(instruction.args)?.[1] ?? 'final', current);
    } else {
      current.push(instruction);
    }
  }
  return result;
}
const stage = (name: string, keyword: string): string[] => stages().get(name)!.filter((i) => i.keyword === keyword).map((i) => i.args);
const finalOf = (keyword: string): string[] => stage('final', keyword);

describe('Dockerfile', () => {
  it('builds in stages on the official Node 20 slim image', () => {
    expect(of('ARG')).toEqual(['NODE_IMAGE=node:20-bookworm-slim']);
    expect(of('FROM')).toEqual(['${NODE_IMAGE} AS deps', '${NODE_IMAGE} AS build', '${NODE_IMAGE}']);
  });

  it('installs with npm ci and builds the runtime and the workbench; the image gets production dependencies only', () => {
    // The root's `prepare` needs sources not copied before `npm ci`: scripts run only for the packages
    // the root's allowScripts approves.
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    const rebuild = `npm rebuild --no-audit --no-fund ${Object.entries(root.allowScripts).filter(([, ok]) => ok).map(([name]) => name).join(' ')}`;
    expect(stage('build', 'RUN')).toEqual([`npm ci --no-audit --no-fund --ignore-scripts && ${rebuild}`, 'npm run build -w runtime', 'npm run build -w workbench']);
    // Dev dependencies are left out by installing only the production dependencies of the
    // workspaces that run; the workbench's are bundled into its dist/.
    expect(stage('deps', 'RUN')).toEqual([`npm ci --omit=dev --no-audit --no-fund --ignore-scripts -w runtime -w lessons && ${rebuild}`]);
  });

  it('copies the manifest of every npm workspace before each `npm ci`', () => {
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
    const manifests = ['package.json package-lock.json ./', ...root.workspaces.map((w) => `${w}/package.json ${w}/`)];
    expect(stage('deps', 'COPY')).toEqual(manifests);
    expect(stage('build', 'COPY')).toEqual([...manifests, '. .']);
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    // A workspace whose directory is ignored must have its manifest re-included.
    for (const w of root.workspaces.filter((w) => ignore.includes(w))) expect(ignore).toContain(`!${w}/package.json`);
  });

  it('runs the runtime as the non-root node user with a health check on /healthz and port 5170', () => {
    expect(finalOf('USER')).toEqual(['node']);
    expect(finalOf('EXPOSE')).toEqual(['5170']);
    expect(finalOf('HEALTHCHECK')).toHaveLength(1);
    expect(finalOf('HEALTHCHECK')[0]).toContain("fetch('http://127.0.0.1:5170/healthz')");
    expect(finalOf('ENTRYPOINT')).toEqual(['["node", "runtime/bin/streamlab.js"]']);
    expect(existsSync(join(repoRoot, 'runtime/bin/streamlab.js'))).toBe(true);
    expect(finalOf('CMD')).toEqual(['["start", "--host", "0.0.0.0", "--port", "5170", "--data-dir", "/data", "--no-open"]']);
  });

  it('ships what the runtime needs at run time and nothing of the build', () => {
    expect(finalOf('COPY')).toEqual([
      '--from=build /app/package.json /app/package-lock.json ./',
      '--from=deps /app/node_modules ./node_modules',
      '--from=build /app/runtime ./runtime',
      '--from=build /app/lessons ./lessons',
      '--from=build /app/workbench/package.json ./workbench/',
      '--from=build /app/workbench/dist ./workbench/dist',
    ]);
    // esbuild builds the runtime (and the learner's code); tsx runs the sources where no build can be
    // written. Both must be production dependencies of the runtime.
    const runtime = JSON.parse(readFileSync(join(repoRoot, 'runtime/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(runtime.dependencies)).toEqual(expect.arrayContaining(['esbuild', 'tsx']));
  });
});
