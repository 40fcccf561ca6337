/**
 * What a learner's session costs to set up and tear down on an isolated runtime, for the choice between
 * a schema per session in the runtime's database (what the runtime does: catalogue names of other
 * sessions' tables stay visible in `pg_class`, their contents do not) and a database per session
 * (catalogues are per database, so other sessions' table names are not visible either). Embedded
 * PostgreSQL, one server, the steps timed one after another:
 *
 *   schema      provisionSessionSchema (record, role, schema) then dropSessionSchema
 *   database    CREATE DATABASE (the default WAL_LOG strategy) owned by the administrator, CONNECT for the
 *               session's role only, the role and its schema in it; then DROP DATABASE … WITH (FORCE) and the role
 *   file copy   the same with STRATEGY FILE_COPY (a checkpoint instead of WAL for the copy)
 *
 * Not a test: it prints medians and ratios. Usage: npm run bench session-database (BENCH_RUNS=N, default 10).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../runtime/src/connectors/postgres/embedded.js';
import { ensureRestrictedRole } from '../runtime/src/connectors/postgres/restricted-role.js';
import { dropSessionSchema, provisionSessionSchema } from '../runtime/src/connectors/postgres/session-schemas.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const server = await startEmbeddedPostgres();
  try {
    const admin = server.url;
    const results: Record<string, { up: number[]; down: number[] }> = { schema: { up: [], down: [] }, database: { up: [], down: [] }, 'file copy': { up: [], down: [] } };
    for (let i = 0; i < RUNS; i++) {
      const tag = randomBytes(6).toString('hex');
      let names = { schema: '', role: '' };
      results.schema!.up.push(await timed(async () => {
        const s = await provisionSessionSchema(admin, tag, `bench-${tag}-`);
        names = { schema: s.schema, role: s.role };
        await withClient(s.url, (c) => c.query('SELECT 1'));
      }));
      results.schema!.down.push(await timed(() => dropSessionSchema(admin, names)));
      for (const [kind, strategy] of [['database', ''], ['file copy', ' STRATEGY FILE_COPY']] as const) {
        const db = `streamlab_s_${randomBytes(6).toString('hex')}`;
        const role = `${db}_role`;
        results[kind]!.up.push(await timed(async () => {
          await withClient(admin, async (c) => {
            await c.query(`CREATE DATABASE ${db}${strategy}`);
            await c.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
          });
          const inDb = new URL(admin);
          inDb.pathname = `/${db}`;
          const password = randomBytes(18).toString('base64url');
          await withClient(inDb.href, (c) => ensureRestrictedRole(c, { role, schema: 'learner', password }));
          const as = new URL(inDb.href);
          as.username = role;
          as.password = password;
          await withClient(as.href, (c) => c.query('SELECT 1'));
        }));
        results[kind]!.down.push(await timed(() => withClient(admin, async (c) => {
          await c.query(`DROP DATABASE ${db} WITH (FORCE)`);
          await c.query(`DROP ROLE ${role}`);
        })));
      }
    }
    const base = median(results.schema!.up);
    console.log(`session set-up and tear-down, ${RUNS} runs each, medians (PostgreSQL ${server.version})`);
    for (const [kind, r] of Object.entries(results)) {
      console.log(`${kind.padEnd(10)} set-up ${median(r.up).toFixed(0).padStart(6)} ms (x${(median(r.up) / base).toFixed(1)})   tear-down ${median(r.down).toFixed(0).padStart(6)} ms`);
    }
  } finally {
    await server.stop();
  }
}

await main();
