/**
 * What integration, e2e and lesson tests use to reach the run's real services, and to name things
 * so that test files never see each other's topics, tables or groups on the shared services.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
// Type-only: brings the ProvidedContext declaration along without loading the services code.
import type {} from './global-setup.js';

function provided(key: 'streamlabKafka' | 'streamlabDatabaseUrl'): string {
  const value = inject(key);
  if (!value) {
    throw new Error(`${key} was not provided: this test runs outside a project whose globalSetup is test/services/global-setup.ts`);
  }
  return value;
}

/** Kafka bootstrap servers of the run, e.g. `127.0.0.1:40123`. */
export function kafkaBootstrap(): string {
  return provided('streamlabKafka');
}

/** PostgreSQL connection URL of the run. */
export function databaseUrl(): string {
  return provided('streamlabDatabaseUrl');
}

let counter = 0;

function suffix(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * A topic name no other test uses, e.g. `orders-m3k2x1a1f3c9e`. Kafka allows `[a-zA-Z0-9._-]`,
 * up to 249 characters; anything else in the prefix becomes `-`.
 */
export function freshTopic(prefix: string): string {
  return `${prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 200)}-${suffix()}`;
}

/**
 * A name no other test uses that is also a valid unquoted SQL identifier (lower case, `_`,
 * at most 63 bytes), e.g. `events_m3k2x1a1f3c9e`: usable for tables, schemas, consumer groups.
 */
export function freshName(prefix: string): string {
  const base = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^([^a-z_])/, '_$1').slice(0, 40);
  return `${base}_${suffix()}`;
}
