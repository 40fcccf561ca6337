/**
 * Spark's socket source (`readStream.format("socket").option("host", …).option("port", …)`), the one of
 * Spark's classic word count: every line a server sends over a TCP connection is a row (`value`, and
 * `timestamp` with `includeTimestamp=true`, the time the line arrived). As in Spark, the lines are kept
 * only in memory: the source is for trying things out and cannot recover after a restart. The engine
 * does no I/O: the host hands in how to connect.
 */
import type { Row } from '../expressions/compile.js';
import { AnalysisException } from '../errors.js';
import { STRING, StructField, StructType, TIMESTAMP } from '../types.js';
import type { Offset, ReadLimit, Source, SourceContext, SourceProvider } from './source.js';

/** An open connection: lines arrive through the callbacks given to {@link SocketConnector}. */
export interface SocketConnection {
  close(): void;
}

/** Opens a connection to host:port; resolves once connected, rejects with the reason it could not. */
export type SocketConnector = (host: string, port: number, handlers: { line(text: string): void; end(error?: Error): void }) => Promise<SocketConnection>;

const SOCKET_SCHEMA = new StructType([new StructField('value', STRING, true)]);
const SOCKET_SCHEMA_TS = new StructType([new StructField('value', STRING, true), new StructField('timestamp', TIMESTAMP, true)]);

function opt(options: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

function address(options: Readonly<Record<string, string>>): { host: string; port: number } {
  const host = opt(options, 'host');
  if (host === undefined) throw new AnalysisException('Set a host to read from with option("host", ...).', { code: 'SOCKET_HOST_REQUIRED' });
  const raw = opt(options, 'port');
  if (raw === undefined) throw new AnalysisException('Set a port to read from with option("port", ...).', { code: 'SOCKET_PORT_REQUIRED' });
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new AnalysisException(`Invalid port: ${raw}`, { code: 'SOCKET_PORT_INVALID' });
  return { host, port };
}

const withTimestamp = (options: Readonly<Record<string, string>>) => opt(options, 'includeTimestamp')?.toLowerCase() === 'true';

class SocketSource implements Source {
  private readonly rows: Row[] = [];
  private readonly listeners = new Set<() => void>();
  private connection: SocketConnection | null = null;
  private failure: Error | null = null;

  constructor(readonly schema: StructType, private readonly ctx: SourceContext) {}

  async open(connect: SocketConnector, host: string, port: number): Promise<this> {
    const ts = withTimestamp(this.ctx.options);
    this.connection = await connect(host, port, {
      line: (text) => {
        this.rows.push(ts ? [text, this.ctx.clock.now() * 1000] : [text]);
        for (const l of this.listeners) l();
      },
      end: (error) => {
        if (error) this.failure = error;
      },
    });
    return this;
  }

  async initialOffset(): Promise<Offset> {
    return -1;
  }
  defaultReadLimit(): ReadLimit {
    return { kind: 'allAvailable' };
  }
  async latestOffset(): Promise<Offset> {
    if (this.failure) throw this.failure;
    return this.rows.length - 1;
  }
  async getBatch(start: Offset, end: Offset): Promise<Row[]> {
    return this.rows.slice(Math.max(0, (start as number) + 1), (end as number) + 1);
  }
  async commit(): Promise<void> {}
  async stop(): Promise<void> {
    this.connection?.close();
    this.connection = null;
  }
  onNewData(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The provider of `format("socket")` over the host's connector. */
export function socketSourceProvider(connect: SocketConnector): SourceProvider {
  return {
    sourceSchema(options, userSchema) {
      if (userSchema) throw new AnalysisException('The socket source does not support a user-specified schema.', { code: 'INVALID_OPTION' });
      address(options);
      return withTimestamp(options) ? SOCKET_SCHEMA_TS : SOCKET_SCHEMA;
    },
    async createSource(ctx) {
      const { host, port } = address(ctx.options);
      ctx.log?.('The socket source should not be used for production applications! It does not support recovery.');
      return new SocketSource(withTimestamp(ctx.options) ? SOCKET_SCHEMA_TS : SOCKET_SCHEMA, ctx).open(connect, host, port);
    },
  };
}
