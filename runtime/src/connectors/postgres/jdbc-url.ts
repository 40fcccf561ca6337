/**
 * PostgreSQL connection settings from the URLs learners write in Spark jobs.
 *
 * Grammar accepted (the first two are what Spark's JDBC source takes, the last two what `pg` and
 * `psql` take):
 *   jdbc:postgresql://host[:port][,host2[:port2]]/database[?user=u&password=p&…]
 *   jdbc:postgresql:database                      (localhost:5432)
 *   postgres://[user[:password]@]host[:port]/database[?…]
 *   postgresql://…                                  (same)
 * Properties given separately (`user`, `password`, as in `write.jdbc(url, table, mode, properties)`)
 * win over those in the URL. `currentSchema` (as pgJDBC names it) sets the schema unqualified names
 * resolve to. Only the first host of a multi-host URL is used.
 */

/** What `pg` needs to connect. */
export interface PgConnectionConfig {
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  /** `require`/`verify-full` etc. from `sslmode`, when given. */
  sslmode?: string;
  /** The schema unqualified table names resolve to (pgJDBC's `currentSchema`), when given. */
  currentSchema?: string;
}

/** Thrown for a URL that is not a PostgreSQL URL. */
export class JdbcUrlError extends Error {
  readonly code = 'JDBC_URL';
  constructor(message: string) {
    super(message);
    this.name = 'IllegalArgumentException';
  }
}

/** Parses a JDBC or libpq-style PostgreSQL URL, applying separately given properties last. */
export function parsePostgresUrl(url: string, properties: Readonly<Record<string, string | undefined>> = {}): PgConnectionConfig {
  const trimmed = url.trim();
  let rest: string;
  if (/^jdbc:postgresql:\/\//i.test(trimmed)) rest = trimmed.slice('jdbc:postgresql://'.length);
  else if (/^jdbc:postgresql:/i.test(trimmed)) rest = `localhost/${trimmed.slice('jdbc:postgresql:'.length)}`;
  else if (/^postgres(ql)?:\/\//i.test(trimmed)) rest = trimmed.replace(/^postgres(ql)?:\/\//i, '');
  else if (/^jdbc:/i.test(trimmed)) throw new JdbcUrlError(`No suitable driver for ${redact(trimmed)}: only jdbc:postgresql URLs are supported`);
  else throw new JdbcUrlError(`Not a PostgreSQL URL: ${redact(trimmed)} (expected jdbc:postgresql://host:port/db or postgres://host:port/db)`);

  const qIndex = rest.indexOf('?');
  const query = qIndex >= 0 ? rest.slice(qIndex + 1) : '';
  if (qIndex >= 0) rest = rest.slice(0, qIndex);
  const slash = rest.indexOf('/');
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const database = decodeURIComponent(slash >= 0 ? rest.slice(slash + 1) : '');

  let user: string | undefined;
  let password: string | undefined;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const info = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = info.indexOf(':');
    user = decodeURIComponent(colon >= 0 ? info.slice(0, colon) : info);
    if (colon >= 0) password = decodeURIComponent(info.slice(colon + 1));
  }
  const firstHost = authority.split(',')[0] ?? '';
  const { host, port } = splitHostPort(firstHost, trimmed);

  const params = new URLSearchParams(query);
  const config: PgConnectionConfig = { host, port, database: database || 'postgres' };
  user = properties.user ?? params.get('user') ?? user;
  password = properties.password ?? params.get('password') ?? password;
  if (user) config.user = user;
  if (password !== undefined && password !== null) config.password = password;
  const sslmode = properties.sslmode ?? params.get('sslmode') ?? undefined;
  if (sslmode) config.sslmode = sslmode;
  const currentSchema = properties.currentSchema ?? params.get('currentSchema') ?? undefined;
  if (currentSchema) {
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(currentSchema)) throw new JdbcUrlError(`Invalid currentSchema ${JSON.stringify(currentSchema)}: use a plain schema name`);
    config.currentSchema = currentSchema;
  }
  return config;
}

function splitHostPort(hostPort: string, url: string): { host: string; port: number } {
  if (hostPort === '') return { host: 'localhost', port: 5432 };
  // IPv6 literal: [::1]:5432
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : 5432 };
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return { host: hostPort, port: 5432 };
  const port = Number(hostPort.slice(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new JdbcUrlError(`Bad port in ${redact(url)}`);
  return { host: hostPort.slice(0, colon), port };
}

/** The URL with any password removed, for error messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@').replace(/([?&]password=)[^&]*/i, '$1***');
}

/** A `postgres://` URL for the settings (what `pg` and `psql` accept). */
export function toPostgresUrl(c: PgConnectionConfig): string {
  const auth = c.user ? `${encodeURIComponent(c.user)}${c.password !== undefined ? `:${encodeURIComponent(c.password)}` : ''}@` : '';
  const host = c.host.includes(':') ? `[${c.host}]` : c.host;
  const params = new URLSearchParams();
  if (c.sslmode) params.set('sslmode', c.sslmode);
  if (c.currentSchema) params.set('currentSchema', c.currentSchema);
  const q = params.toString();
  return `postgres://${auth}${host}:${c.port}/${encodeURIComponent(c.database)}${q ? `?${q}` : ''}`;
}
