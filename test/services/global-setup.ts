/**
 * vitest globalSetup for the integration, e2e and lessons tiers: resolves a real Kafka and a real
 * PostgreSQL once, prints one banner line saying which, provides their addresses to the tests
 * (read them with ./inject.ts) and stops them at the end.
 *
 * Several projects list this file; vitest runs each project's globalSetup in the same process, so
 * the services live on `globalThis` with a reference count and start only once per run.
 */
import type { TestProject } from 'vitest/node';
import { startTestServices, type TestServices } from './resolve.js';
import { bannerPart } from './service.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kafka bootstrap servers, e.g. `127.0.0.1:40123`. */
    streamlabKafka: string;
    /** PostgreSQL connection URL. */
    streamlabDatabaseUrl: string;
  }
}

interface Shared {
  services: Promise<TestServices>;
  users: number;
}

const KEY = Symbol.for('streamlab.test-services');
const holder = globalThis as { [KEY]?: Shared };

async function acquire(): Promise<TestServices> {
  let shared = holder[KEY];
  if (!shared) {
    const services = startTestServices().then((s) => {
      console.log(`services: ${bannerPart(s.kafka)} ${bannerPart(s.postgres)}`);
      return s;
    }, (error: unknown) => {
      // vitest then reports "No test files found" before the error itself; say first what really happened.
      console.error('services: unavailable, no test of this tier can run (details in the error below)');
      throw error;
    });
    shared = { services, users: 0 };
    holder[KEY] = shared;
    // A failed start must fail every project that asks, not linger for the next run in watch mode.
    services.catch(() => { if (holder[KEY] === shared) delete holder[KEY]; });
  }
  shared.users += 1;
  return shared.services;
}

async function release(): Promise<void> {
  const shared = holder[KEY];
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  delete holder[KEY];
  await (await shared.services).stop();
}

/** Starts (or joins) the run's services and returns their teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await acquire();
  project.provide('streamlabKafka', services.kafka.value);
  project.provide('streamlabDatabaseUrl', services.postgres.value);
  return release;
}
