/**
 * Reads `compose/docker-compose.yml` the way docker compose does before it validates or runs it:
 * variables come from `compose/.env.example` (standing in for the instructor's `.env`), and
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$VAR` and the
 * `$$` escape are interpolated in every string of the file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Path of the compose file. */
export const composePath = fileURLToPath(new URL('../../../compose/docker-compose.yml', import.meta.url));
/** Path of the documented example of the compose file's `.env`. */
export const envExamplePath = fileURLToPath(new URL('../../../compose/.env.example', import.meta.url));

/** A compose service, as far as these tests read it. */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  volumes?: string[];
  ports?: string[];
}

/** A compose document, as far as these tests read it. */
export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Parses a `.env` file: `KEY=VALUE` lines; blank lines and `#` comments are ignored. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not KEY=VALUE: ${line}`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return env;
}

// A default may itself hold one `${…}` (compose's nested interpolation), interpolated when used.
const VARIABLE = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])((?:[^${}]|\$\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Names of every variable a string refers to (`$$` escapes excluded). */
export function variablesIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? match[4];
    if (name) names.push(name);
    if (match[3]) names.push(...variablesIn(match[3]));
  }
  return names;
}

/** Interpolates one string; throws the `:?` / `?` message when a required variable is missing. */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(VARIABLE, (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = env[name];
    const unset = value === undefined;
    const empty = unset || value === '';
    switch (operator) {
      case ':-': return empty ? interpolate(argument!, env) : value!;
      case '-': return unset ? interpolate(argument!, env) : value!;
      case ':?': if (empty) throw new Error(`required variable ${name} is missing: ${argument}`); return value!;
      case '?': if (unset) throw new Error(`required variable ${name} is missing: ${argument}`); return value!;
      default: return value ?? '';
    }
  });
}

function interpolateDeep(node: unknown, env: Record<string, string>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateDeep(item, env));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateDeep(value, env)]));
  }
  return node;
}

/** The compose file as written, before interpolation. */
export function readRawCompose(): unknown {
  return parse(readFileSync(composePath, 'utf8'));
}

/** The documented variables of `compose/.env.example`. */
export function readEnvExample(): Record<string, string> {
  return parseEnvFile(readFileSync(envExamplePath, 'utf8'));
}

/** The compose file after interpolation with `env` (by default the values of `.env.example`). */
export function readCompose(env: Record<string, string> = readEnvExample()): ComposeFile {
  return interpolateDeep(readRawCompose(), env) as ComposeFile;
}

/** A service's environment as a map, whichever of the two compose syntaxes it uses. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => {
      const eq = entry.indexOf('=');
      return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** A service's command as an argument vector (compose splits a string command like a shell). */
export function commandOf(service: ComposeService): string[] {
  if (service.command === undefined) return [];
  if (Array.isArray(service.command)) return service.command.map(String);
  return service.command.trim().split(/\s+/);
}
