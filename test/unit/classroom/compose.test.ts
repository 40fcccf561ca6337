/**
 * The classroom compose file, checked without a Docker daemon: it is valid against the pinned
 * Compose Specification schema after interpolation (as docker compose validates it), every
 * variable is documented in `.env.example`, every variable it sets for the Streamlab image is one
 * the runtime reads, and the services are wired as the classroom needs them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadLessons } from '../../../runtime/src/lessons/load-lessons.js';
import { parseRoster } from '../../../runtime/src/server/roster.js';
import {
  commandOf, environmentOf, interpolate, parseEnvFile, readCompose, readEnvExample, readRawCompose, repoRoot, variablesIn,
} from './compose-file.js';

const schemaPath = fileURLToPath(new URL('../../../compose/schema/compose-spec.json', import.meta.url));
const configPath = `${repoRoot}runtime/src/config.ts`;
const pinsPath = `${repoRoot}test/services/pins.json`;

/**
 * Drops the draft-04 `id` annotations (`"id": "#/definitions/…"`): Ajv 8 refuses the keyword, and
 * every `$ref` in the file is a JSON pointer that does not need them.
 */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node)
    .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
    .map(([key, value]) => [key, withoutDraft4Ids(value)]));
}

/** Compiles the pinned schema with the custom formats the Compose Specification declares. */
function composeValidator(): ValidateFunction {
  const schema = withoutDraft4Ids(JSON.parse(readFileSync(schemaPath, 'utf8'))) as Record<string, unknown>;
  // The file names the 2019-09 meta-schema by an old URI; its keywords are all draft-07 ones,
  // which is what Ajv's default class implements.
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/);
  ajv.addFormat('ports', {
    type: 'string',
    validate: (value: string) => /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(value),
  });
  ajv.addFormat('ports-number', { type: 'number', validate: (value: number) => Number.isInteger(value) && value > 0 && value < 65536 });
  return ajv.compile(schema);
}

function errorsOf(validate: ValidateFunction, document: unknown): string[] {
  validate(document);
  return (validate.errors ?? []).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    return `${e.instancePath || '/'} ${e.message}${extra ? `: ${extra}` : ''}`;
  });
}

/** Environment variables the runtime reads, taken from its one configuration module. */
function variablesTheRuntimeReads(): Set<string> {
  const source = readFileSync(configPath, 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(match[1]!);
  for (const match of source.matchAll(/\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g)) names.add(match[1]!);
  for (const match of source.matchAll(/\b(?:str|int|bool)\('([A-Z][A-Z0-9_]*)'\)/g)) names.add(match[1]!);
  return names;
}

/** Services that run the Streamlab image (built from the repository's Dockerfile). */
function streamlabServices(): string[] {
  const { services } = readCompose();
  return Object.keys(services).filter((name) => services[name]!.build?.dockerfile === 'Dockerfile');
}

describe('compose file against the Compose Specification', () => {
  const validate = composeValidator();

  it('is valid after interpolation with .env.example', () => {
    expect(errorsOf(validate, readCompose())).toEqual([]);
  });

  it('the validator rejects what docker compose rejects', () => {
    // A misspelt key, a wrong depends_on condition and a malformed duration: each must be caught,
    // or the check above would prove nothing.
    const compose = readCompose() as unknown as { services: Record<string, Record<string, unknown>> };
    const misspelt = structuredClone(compose);
    misspelt.services.postgres!.healtcheck = misspelt.services.postgres!.healthcheck;
    expect(errorsOf(validate, misspelt)).toContain('/services/postgres must NOT have additional properties: healtcheck');

    const badCondition = structuredClone(compose);
    badCondition.services.streamlab!.depends_on = { kafka: { condition: 'service_ready' } };
    expect(errorsOf(validate, badCondition)).toContain('/services/streamlab/depends_on/kafka/condition must be equal to one of the allowed values');

    const badDuration = structuredClone(compose);
    (badDuration.services.kafka!.healthcheck as Record<string, unknown>).interval = 'ten seconds';
    expect(errorsOf(validate, badDuration)).toContain('/services/kafka/healthcheck/interval must match format "duration"');
  });
});

describe('compose variables', () => {
  it('every variable the compose file uses is documented in .env.example, and every documented one is used', () => {
    const text = readFileSync(`${repoRoot}compose/docker-compose.yml`, 'utf8');
    // Variables escaped as $${…} are for the container's shell, not for compose; comments do not count.
    const used = new Set(variablesIn(text.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n')));
    // COMPOSE_* variables configure docker compose itself.
    const documented = Object.keys(readEnvExample()).filter((name) => !name.startsWith('COMPOSE_'));
    expect([...used].sort()).toEqual(documented.sort());
    expect(readEnvExample().COMPOSE_PROJECT_NAME).toBe('streamlab');
  });

  it('the required secrets fail loudly when missing', () => {
    const env = readEnvExample();
    delete env.STREAMLAB_TOKEN;
    expect(() => readCompose(env)).toThrow('required variable STREAMLAB_TOKEN is missing: set STREAMLAB_TOKEN in compose/.env');
    const noPassword = readEnvExample();
    delete noPassword.POSTGRES_PASSWORD;
    expect(() => readCompose(noPassword)).toThrow('required variable POSTGRES_PASSWORD is missing: set POSTGRES_PASSWORD in compose/.env');
  });

  it('interpolates like docker compose', () => {
    expect(interpolate('${A:-x}|${A-x}|${B:-y}|${B-y}|$$A|$C', { A: '', C: 'c' })).toBe('x||y|y|$A|c');
    expect(parseEnvFile('# c\nA=1\n\nB = two words\n')).toEqual({ A: '1', B: 'two words' });
  });

  it('every variable set for the Streamlab image is one the runtime reads', () => {
    const reads = variablesTheRuntimeReads();
    // Sanity: the parse found the configuration module's variables.
    expect([...reads]).toEqual(expect.arrayContaining(['STREAMLAB_TOKEN', 'STREAMLAB_KAFKA', 'STREAMLAB_PG']));
    const { services } = readCompose();
    expect(streamlabServices().sort()).toEqual(['grade', 'streamlab']);
    for (const name of streamlabServices()) {
      const unread = Object.keys(environmentOf(services[name]!)).filter((variable) => !reads.has(variable));
      expect({ service: name, unread }).toEqual({ service: name, unread: [] });
    }
  });
});

describe('compose services', () => {
  const { services, volumes } = readCompose();
  const env = readEnvExample();

  it('streamlab runs `streamlab start` on all interfaces against the kafka and postgres services', () => {
    expect(commandOf(services.streamlab!)).toEqual([
      'start', '--host', '0.0.0.0', '--port', '5170',
      '--kafka', 'kafka:9092', '--kafka-sasl', 'kafka:9095',
      '--pg', `postgres://${env.POSTGRES_USER}:${env.POSTGRES_PASSWORD}@postgres:5432/${env.POSTGRES_DB}`,
      '--data-dir', '/data', '--no-open', '--isolate-learners',
    ]);
    expect(environmentOf(services.streamlab!)).toEqual({ STREAMLAB_TOKEN: env.STREAMLAB_TOKEN, STREAMLAB_ALLOWED_ORIGINS: env.STREAMLAB_ALLOWED_ORIGINS, STREAMLAB_ROSTER: '/classroom/roster.csv' });
    // The page origin of the documented URL must be accepted, or the browser's websocket is refused.
    expect(env.STREAMLAB_ALLOWED_ORIGINS!.split(',')).toContain(`http://localhost:${env.STREAMLAB_HOST_PORT}`);
    expect(services.streamlab!.ports).toEqual([`${env.STREAMLAB_HOST_PORT}:5170`]);
    expect(services.streamlab!.volumes).toEqual(['streamlab-data:/data', '/dev/null:/classroom/roster.csv:ro']);
  });

  it('streamlab reads the roster STREAMLAB_ROSTER names, mounted read-only where the runtime looks; none: an empty one', () => {
    // The runtime reads the file its STREAMLAB_ROSTER names, so the mount's target must be that path.
    const target = environmentOf(services.streamlab!).STREAMLAB_ROSTER;
    expect(env.STREAMLAB_ROSTER).toBe('');
    expect(services.streamlab!.volumes).toContain(`/dev/null:${target}:ro`);
    expect(parseRoster(readFileSync('/dev/null', 'utf8'))).toEqual([]);
    const withRoster = readCompose({ ...env, STREAMLAB_ROSTER: './roster.csv' }).services.streamlab!;
    expect(withRoster.volumes).toEqual(['streamlab-data:/data', `./roster.csv:${target}:ro`]);
    expect(environmentOf(withRoster).STREAMLAB_ROSTER).toBe(target);
    // Grading needs no roster.
    expect(services.grade!.volumes!.some((v) => v.includes('roster'))).toBe(false);
  });

  it('streamlab waits for healthy Kafka and PostgreSQL and for the SCRAM users; grading needs neither', () => {
    const healthy = { kafka: { condition: 'service_healthy' }, 'kafka-users': { condition: 'service_completed_successfully' }, postgres: { condition: 'service_healthy' } };
    expect(services.streamlab!.depends_on).toEqual(healthy);
    expect(services['kafka-users']!.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
    // Checks run the submission in the sandbox on an in-memory Kafka of their own.
    expect(services.grade!.depends_on).toBeUndefined();
    expect(services.kafka!.healthcheck?.test).toEqual(['CMD-SHELL', '/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server kafka:9092 > /dev/null 2>&1']);
    // `$$` reaches the container as `$`, so its shell (not compose) expands the variables.
    expect(services.postgres!.healthcheck?.test).toEqual(['CMD-SHELL', 'pg_isready -U "${POSTGRES_USER}" -d "${POSTGRES_DB}"']);
  });

  it('kafka is a single KRaft node with an internal and a host listener', () => {
    const kafka = environmentOf(services.kafka!);
    expect(kafka.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${kafka.KAFKA_NODE_ID}@kafka:9093`);
    expect(kafka.KAFKA_ADVERTISED_LISTENERS).toBe(`INTERNAL://kafka:9092,HOST://localhost:${env.KAFKA_HOST_PORT},SASL://kafka:9095`);
    expect(kafka.KAFKA_LISTENERS).toBe('INTERNAL://:9092,CONTROLLER://:9093,HOST://:9094,SASL://:9095');
    expect(services.kafka!.ports).toEqual([`${env.KAFKA_HOST_PORT}:9094`]);
    // A KRaft cluster id is 16 bytes in base64url without padding.
    expect(Buffer.from(kafka.CLUSTER_ID!, 'base64url')).toHaveLength(16);
    expect(kafka.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('kafka has a SASL_PLAINTEXT listener with SCRAM, and kafka-users creates the users lesson 04 logs in as', async () => {
    const kafka = environmentOf(services.kafka!);
    expect(kafka.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP!.split(',')).toContain('SASL:SASL_PLAINTEXT');
    expect(kafka.KAFKA_INTER_BROKER_LISTENER_NAME).toBe('INTERNAL');
    // The image turns KAFKA_LISTENER_NAME_SASL_SCRAM___SHA___512_… into listener.name.sasl.scram-sha-512.….
    expect(kafka.KAFKA_LISTENER_NAME_SASL_SASL_ENABLED_MECHANISMS).toBe('SCRAM-SHA-512,SCRAM-SHA-256');
    for (const m of ['512', '256']) expect(kafka[`KAFKA_LISTENER_NAME_SASL_SCRAM___SHA___${m}_SASL_JAAS_CONFIG`]).toBe('org.apache.kafka.common.security.scram.ScramLoginModule required;');
    // The same server-side JAAS lines as the suite's real Kafka with SCRAM, which the SASL tests log in to.
    const suiteKafka = readFileSync(`${repoRoot}test/services/local-kafka.ts`, 'utf8');
    for (const m of ['512', '256']) expect(suiteKafka).toContain(`listener.name.sasl_plaintext.scram-sha-${m}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`);
    const users = services['kafka-users']!;
    expect(users.image).toBe(services.kafka!.image);
    const command = commandOf(users);
    // One kafka-configs call per mechanism: Kafka refuses one user's credentials twice in one request.
    expect(command.slice(0, 2)).toEqual(['sh', '-c']);
    const script = command[2]!.replace(/\s+/g, ' ');
    // The users and passwords are the ones the lessons give their learners, with both SCRAM mechanisms.
    const lessons = await loadLessons(`${repoRoot}lessons`);
    const lessonUsers = lessons.flatMap((l) => l.kafka?.sasl.users ?? []);
    expect(lessonUsers).toHaveLength(1);
    const { username, password } = lessonUsers[0]!;
    expect(script).toBe('for mechanism in SCRAM-SHA-512 SCRAM-SHA-256; do /opt/kafka/bin/kafka-configs.sh --bootstrap-server kafka:9092 --alter '
      + `--entity-type users --entity-name ${username} --add-config "$mechanism=[password=${password}]" || exit 1; done`);
  });

  it('uses the same Kafka and PostgreSQL images as the test suite', () => {
    const pins = JSON.parse(readFileSync(pinsPath, 'utf8')) as { kafkaImage: string; postgresImage: string };
    expect(services.kafka!.image).toBe(pins.kafkaImage);
    expect(services.postgres!.image).toBe(pins.postgresImage);
  });

  it('profiles: kafka-ui and grading are opt-in, the core services are not', () => {
    const profiles = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.profiles ?? []]));
    expect(profiles).toEqual({ kafka: [], 'kafka-users': [], postgres: [], streamlab: [], 'kafka-ui': ['kafka-ui'], grade: ['grading'] });
    expect(commandOf(services.grade!)).toEqual(['grade', '--lesson', env.GRADE_LESSON, '--dir', '/submissions', '--csv', '/out/grades.csv', '--json', '/out/grades.json', '--junit', '/out/grades.xml']);
    expect(environmentOf(services.grade!)).toEqual({});
    expect(services.grade!.volumes).toEqual(['./submissions:/submissions:ro', './grades:/out']);
  });

  it('keeps Kafka, PostgreSQL and Streamlab data in named volumes', () => {
    expect(Object.keys(volumes ?? {}).sort()).toEqual(['kafka-data', 'postgres-data', 'streamlab-data']);
    expect(services.kafka!.volumes).toEqual(['kafka-data:/var/lib/kafka/data']);
    expect(services.postgres!.volumes).toEqual(['postgres-data:/var/lib/postgresql']);
  });

  it('builds the Streamlab image from the repository root Dockerfile', () => {
    const raw = readRawCompose() as { services: Record<string, { build?: unknown }> };
    // NODE_IMAGE replaces the official base where no registry answers (docs/classroom.md).
    expect(raw.services.streamlab!.build).toEqual({ context: '..', dockerfile: 'Dockerfile', args: { NODE_IMAGE: '${NODE_IMAGE:-node:20-bookworm-slim}' } });
    expect(readFileSync(`${repoRoot}Dockerfile`, 'utf8')).toContain('ARG NODE_IMAGE=node:20-bookworm-slim\n');
    expect(services.streamlab!.image).toBe(services.grade!.image);
  });
});
