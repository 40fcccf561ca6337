/**
 * Runtime configuration: defaults, then an optional file (`streamlab.config.yaml|json`, or the path in
 * STREAMLAB_CONFIG), then environment variables, then explicit overrides (command-line flags); the result
 * is validated by zod. This is the only module that reads `process.env`: everything else is given a
 * `RuntimeConfig`, and tests build one with `resolveConfig` without touching the environment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MAX_ROWS_PER_BATCH } from './protocol/client-messages.js';

/** Four runs per core, and at least eight: most runs wait on Kafka or the clock most of the time. */
function defaultMaxRunsTotal(): number {
  return Math.max(8, 4 * availableParallelism());
}

/** Resource limits applied to every learner run. */
export const runLimitsSchema = z.strictObject({
  /** Heap cap of a run's process, in MB. */
  memoryMb: z.int().min(32).max(8192).default(256),
  /**
   * A run that uses this much CPU time without answering its heartbeat is stopped as an endless loop. CPU
   * time, not wall time: on a busy machine a healthy run may wait for the CPU much longer than this.
   */
  unresponsiveMs: z.int().min(200).max(600_000).default(2000),
  /** A run that does not answer its heartbeat for this long (wall time) while idle is stopped as blocked. */
  blockedMs: z.int().min(1000).max(3_600_000).default(30_000),
  /**
   * Rows sent per `run.batch` event at most, whatever a client asks with `run.start`'s `maxRows` (a client
   * that does not ask gets 100, or this if lower).
   */
  maxRowsPerBatch: z.int().min(0).max(MAX_ROWS_PER_BATCH).default(MAX_ROWS_PER_BATCH),
  /** Concurrent runs per connection. */
  maxRunsPerConnection: z.int().min(1).max(20).default(4),
  /** Runs (job processes) at once across every connection; later runs wait in line, told how many are ahead. */
  maxRunsTotal: z.int().min(1).max(1000).default(defaultMaxRunsTotal()),
  /** Checks graded at once per runtime; more wait in a queue (`check.status`). */
  maxConcurrentChecks: z.int().min(1).max(32).default(2),
  /**
   * Disk a learner's files may take, in MB (fractions allowed): what file sinks and `df.write` write,
   * counted together with the checkpoints of every lesson in the learner's folder. A write that would
   * go over it is refused before it starts; checkpoints themselves are written whatever the total.
   */
  workspaceMb: z.number().positive().max(1_048_576).default(256),
  /** After a socket closes, its runs are stopped after this grace period. */
  socketGraceMs: z.int().min(0).max(3_600_000).default(15_000),
});
/** Resource limits applied to every learner run. */
export type RunLimits = z.infer<typeof runLimitsSchema>;

/** The validated runtime configuration. */
export const configSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  /** Preferred port; when taken, a free one is used instead (and the CLI says so). */
  port: z.int().min(0).max(65535).default(5170),
  /** Fixed token; a random one per start when absent. */
  token: z.string().min(8).max(200).optional(),
  /** Token of the instructor's dashboard (`/instructor`), never a learner's; a random one per start when absent. */
  instructorToken: z.string().min(8).max(200).optional(),
  /**
   * A class roster file (`student,token` per line, as `k8s/overlays/classroom/roster.csv`): each
   * student's token opens the workbench as that student, besides the shared token, and the
   * instructor's dashboard names its rows by student (see server/roster.ts).
   */
  roster: z.string().min(1).optional(),
  /** Kafka bootstrap servers (`host:port[,host:port]`); the embedded broker when absent. */
  kafka: z.string().min(1).optional(),
  /**
   * The same Kafka's SASL_PLAINTEXT listener (`host:port[,…]`), where the users the lessons name exist:
   * learner code that authenticates (lesson 04's SCRAM) connects there. The embedded broker has its own.
   */
  kafkaSasl: z.string().min(1).optional(),
  /**
   * Prefix of every Kafka topic this runtime's learner sees (`ada.` turns `report` into `ada.report` on
   * the broker), so several learners can share one Kafka without reading each other's topics.
   */
  topicPrefix: z.string().regex(/^[A-Za-z0-9._-]*$/, 'a topic prefix uses letters, digits, ".", "_" and "-" only').default(''),
  /**
   * Several learners share this runtime (a lab server): each workbench session gets Kafka topics, saved
   * query state and a PostgreSQL schema and role of its own (topics under `<topicPrefix>learner-<id>.`,
   * checkpoints in a folder of the session's, schema `<learner schema>_<id>`), removed when the session
   * ends, or at the next start after a crash. Off, every session is the one learner's.
   */
  isolateLearners: z.boolean().default(false),
  /** PostgreSQL URL; the embedded PostgreSQL when absent. */
  pg: z.string().min(1).optional(),
  /** Directory for the embedded services' data and checkpoints; a temporary one when absent. */
  dataDir: z.string().min(1).optional(),
  /** Lessons directory; `lessons/` of the repository when absent. */
  lessonsDir: z.string().min(1).optional(),
  /** Open the browser on start (only when a display is present). */
  open: z.boolean().default(true),
  /** Whether a graphical display seems to be available (DISPLAY, WAYLAND_DISPLAY, macOS, Windows). */
  display: z.boolean().default(false),
  /** Extra browser origins allowed besides the server's own (e.g. a Vite dev server). */
  allowedOrigins: z.array(z.string().min(1)).default([]),
  /** Largest websocket frame accepted, in bytes. */
  maxFrameBytes: z.int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** A socket that has not completed `hello` this long after opening is closed. */
  helloTimeoutMs: z.int().min(100).max(600_000).default(5000),
  /** Sockets opened without the token that have not sent it yet; more are refused until some finish. */
  maxUnauthenticatedSockets: z.int().min(1).max(100_000).default(64),
  limits: runLimitsSchema.default(runLimitsSchema.parse({})),
});
/** The validated runtime configuration. */
export type RuntimeConfig = z.infer<typeof configSchema>;
/** Partial configuration as written in a file or given as overrides. */
export type ConfigInput = z.input<typeof configSchema>;

/** Raised when configuration is invalid; the message is one line naming the source and the field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Merges layers (later wins, `undefined` never overrides) and validates the result.
 * @param layers partial configurations, lowest precedence first
 */
export function resolveConfig(...layers: ConfigInput[]): RuntimeConfig {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (key === 'limits' && typeof value === 'object' && value !== null) {
        merged.limits = { ...(merged.limits as object | undefined), ...stripUndefined(value as Record<string, unknown>) };
      } else {
        merged[key] = value;
      }
    }
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration: ${issue.path.join('.') || 'config'}: ${issue.message}`);
  }
  return parsed.data;
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Reads the configuration layer given by environment variables. */
export function configFromEnv(env: Record<string, string | undefined> = process.env, platform: string = process.platform): ConfigInput {
  const int = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new ConfigError(`invalid configuration: ${name} must be an integer, got "${v}"`);
    return n;
  };
  const str = (name: string): string | undefined => (env[name] ? env[name] : undefined);
  return {
    host: str('STREAMLAB_HOST'),
    port: int('STREAMLAB_PORT'),
    token: str('STREAMLAB_TOKEN'),
    instructorToken: str('STREAMLAB_INSTRUCTOR_TOKEN'),
    roster: str('STREAMLAB_ROSTER'),
    kafka: str('STREAMLAB_KAFKA'),
    kafkaSasl: str('STREAMLAB_KAFKA_SASL'),
    topicPrefix: str('STREAMLAB_TOPIC_PREFIX'),
    isolateLearners: env.STREAMLAB_ISOLATE_LEARNERS ? !['0', 'false', 'no'].includes(env.STREAMLAB_ISOLATE_LEARNERS.toLowerCase()) : undefined,
    pg: str('STREAMLAB_PG'),
    dataDir: str('STREAMLAB_DATA_DIR'),
    lessonsDir: str('STREAMLAB_LESSONS'),
    open: env.STREAMLAB_NO_OPEN ? false : undefined,
    display: Boolean(env.DISPLAY || env.WAYLAND_DISPLAY) || platform === 'darwin' || platform === 'win32',
    allowedOrigins: env.STREAMLAB_ALLOWED_ORIGINS ? env.STREAMLAB_ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    limits: { memoryMb: int('STREAMLAB_RUN_MEMORY_MB'), workspaceMb: int('STREAMLAB_WORKSPACE_MB') },
  };
}

/** Reads a configuration file (YAML or JSON). */
export function configFromFile(path: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read configuration file ${path}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    throw new ConfigError(`configuration file ${path} is neither YAML nor JSON`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`configuration file ${path} must hold a mapping`);
  return value as ConfigInput;
}

/**
 * Loads the configuration the way the CLI does: defaults, the file (STREAMLAB_CONFIG or
 * `streamlab.config.{yaml,yml,json}` in `cwd`), the environment, then `overrides`.
 */
export function loadConfig(overrides: ConfigInput = {}, env: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): RuntimeConfig {
  const envLayer = configFromEnv(env);
  const explicit = env.STREAMLAB_CONFIG;
  const candidates = explicit ? [resolve(cwd, explicit)] : ['streamlab.config.yaml', 'streamlab.config.yml', 'streamlab.config.json'].map((f) => resolve(cwd, f));
  const found = candidates.find((p) => existsSync(p));
  if (explicit && !found) throw new ConfigError(`STREAMLAB_CONFIG names a missing file: ${explicit}`);
  const fileLayer = found ? configFromFile(found) : {};
  return resolveConfig(fileLayer, envLayer, overrides);
}
