/**
 * Golden fixtures for every protocol message kind, and the encode/decode round trip.
 * Set UPDATE_GOLDENS=1 to rewrite the fixtures from the schemas; the run then fails on purpose so a
 * regenerated golden never passes silently.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_KINDS, SERVER_KINDS, clientMessage, decodeClientMessage, decodeServerMessage, encodeClientMessage,
  encodeServerMessage, negotiateVersion, PROTOCOL_VERSION, serverMessage, serverMessageForVersion, SUPPORTED_PROTOCOL_VERSIONS,
  type ServerMessage,
} from '../../../runtime/src/protocol/index.js';

const dir = (side: string) => fileURLToPath(new URL(`./fixtures/${side}/`, import.meta.url));
const update = process.env.UPDATE_GOLDENS === '1';

function fixture(side: 'client' | 'server', kind: string): { text: string; value: unknown } {
  const text = readFileSync(`${dir(side)}${kind}.json`, 'utf8');
  return { text, value: JSON.parse(text) };
}

describe('golden fixtures', () => {
  it('exist for exactly the message kinds of each direction', () => {
    const names = (side: string) => readdirSync(dir(side)).map((f) => f.replace(/\.json$/, '')).sort();
    expect(names('client')).toEqual([...CLIENT_KINDS].sort());
    expect(names('server')).toEqual([...SERVER_KINDS].sort());
  });

  for (const kind of CLIENT_KINDS) {
    it(`client ${kind}: decodes, validates and re-encodes to the same JSON`, () => {
      const { text, value } = fixture('client', kind);
      const decoded = decodeClientMessage(text);
      if (!decoded.ok) throw new Error(`${kind}: ${decoded.message}`);
      expect(decoded.message).toEqual(value);
      const encoded = encodeClientMessage(decoded.message);
      if (update) writeFileSync(`${dir('client')}${kind}.json`, `${JSON.stringify(JSON.parse(encoded), null, 2)}\n`);
      expect(JSON.parse(encoded)).toEqual(value);
      expect(clientMessage.parse(JSON.parse(encoded))).toEqual(decoded.message);
    });
  }

  for (const kind of SERVER_KINDS) {
    it(`server ${kind}: decodes, validates and re-encodes to the same JSON`, () => {
      const { text, value } = fixture('server', kind);
      const decoded = decodeServerMessage(text);
      if (!decoded.ok) throw new Error(`${kind}: ${decoded.message}`);
      expect(decoded.message).toEqual(value);
      const encoded = encodeServerMessage(decoded.message);
      if (update) writeFileSync(`${dir('server')}${kind}.json`, `${JSON.stringify(JSON.parse(encoded), null, 2)}\n`);
      expect(JSON.parse(encoded)).toEqual(value);
      expect(serverMessage.parse(JSON.parse(encoded))).toEqual(decoded.message);
    });
  }

  it('are not being regenerated', () => {
    expect(update, 'UPDATE_GOLDENS=1 rewrote the fixtures; review the diff and rerun without it').toBe(false);
  });
});

describe('decoding errors', () => {
  it('reports bad JSON without an id', () => {
    expect(decodeClientMessage('{"kind":')).toEqual({ ok: false, id: null, code: 'bad-json', message: 'The message is not valid JSON.' });
  });

  it('reports non-object messages', () => {
    expect(decodeClientMessage('[1,2]')).toEqual({ ok: false, id: null, code: 'bad-message', message: 'A message must be a JSON object with a "kind".' });
    expect(decodeClientMessage('null')).toEqual({ ok: false, id: null, code: 'bad-message', message: 'A message must be a JSON object with a "kind".' });
  });

  it('reports unknown kinds with the request id', () => {
    expect(decodeClientMessage('{"kind":"run.explode","id":"9"}')).toEqual({
      ok: false, id: '9', code: 'unknown-kind', message: 'Unknown message kind "run.explode".',
    });
  });

  it('reports the first wrong field', () => {
    expect(decodeClientMessage('{"kind":"lessons.get","id":"3","lessonId":7}')).toEqual({
      ok: false, id: '3', code: 'bad-message', message: 'Invalid lessons.get message: lessonId: Invalid input: expected string, received number.',
    });
  });

  it('rejects extra fields and a step with both batches and advanceMs', () => {
    expect(decodeClientMessage('{"kind":"topics.list","id":"1","x":1}').ok).toBe(false);
    const both = decodeClientMessage('{"kind":"run.step","id":"1","runId":"r","batches":1,"advanceMs":5}');
    expect(both).toEqual({ ok: false, id: '1', code: 'bad-message', message: 'Invalid run.step message: message: give exactly one of batches or advanceMs.' });
  });

  it('clips long kinds in error messages', () => {
    const kind = 'x'.repeat(10_000);
    const decoded = decodeClientMessage(JSON.stringify({ kind, id: '1' }));
    expect(decoded).toEqual({ ok: false, id: '1', code: 'unknown-kind', message: `Unknown message kind "${'x'.repeat(57)}...".` });
  });

  it('applies defaults when decoding', () => {
    const decoded = decodeClientMessage('{"kind":"topics.tail","id":"1","topic":"report"}');
    expect(decoded).toEqual({ ok: true, message: { kind: 'topics.tail', id: '1', topic: 'report', from: 'latest' } });
  });

  it('refuses to encode an invalid server message', () => {
    const bad = { kind: 'run.log', runId: 'r', level: 'shout', text: 'x' } as unknown as ServerMessage;
    expect(() => encodeServerMessage(bad)).toThrow();
  });
});

describe('version negotiation', () => {
  it('picks the highest common version', () => {
    expect(negotiateVersion([1, 2, 3], [1, 2])).toBe(2);
    expect(negotiateVersion([1])).toBe(1);
    expect(negotiateVersion([1, 2])).toBe(2);
    expect(negotiateVersion([7, 8], [1])).toBe(null);
  });

  it('speaks version 3 and still speaks versions 1 and 2', () => {
    expect([PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS]).toEqual([3, [1, 2, 3]]);
  });
});

describe('messages for a version 1 client', () => {
  const server = (kind: string) => decodeServerMessage(fixture('server', kind).text);
  const message = (kind: string): ServerMessage => {
    const d = server(kind);
    if (!d.ok) throw new Error(d.message);
    return d.message;
  };

  it('leave run.query out and send run.batch without its schema', () => {
    expect(serverMessageForVersion(message('run.query'), 1)).toBe(null);
    const { schema, ...v1 } = message('run.batch') as ServerMessage & { schema?: unknown };
    expect(schema).toEqual([{ name: 'sensor', type: 'string' }, { name: 'avg', type: 'double' }]);
    expect(serverMessageForVersion(message('run.batch'), 1)).toEqual(v1);
    expect(Object.keys(serverMessageForVersion(message('run.batch'), 1)!)).not.toContain('schema');
  });

  it('keep every other message as it is, and version 3 gets everything', () => {
    const changed = ['run.query', 'run.batch', 'check.status', 'check.result'];
    for (const kind of SERVER_KINDS) {
      const m = message(kind);
      expect(serverMessageForVersion(m, 3)).toBe(m);
      if (!changed.includes(kind)) expect(serverMessageForVersion(m, 1)).toBe(m);
      if (!changed.slice(2).includes(kind)) expect(serverMessageForVersion(m, 2)).toBe(m);
    }
  });

  it('leave check.status out and send check.result as version 2 had it, for versions 1 and 2', () => {
    for (const version of [1, 2]) {
      expect(serverMessageForVersion(message('check.status'), version)).toBe(null);
      expect(serverMessageForVersion(message('check.result'), version)).toEqual({
        kind: 'check.result', checkId: 'check-1', lessonId: '03-structured-windows',
        tests: [
          { name: 'averages each sensor over one-minute windows of event time (update mode)', status: 'passed', message: null, durationMs: 12 },
          {
            name: 'drops a reading that arrives after the watermark passed its window', status: 'failed', durationMs: 8,
            message: 'Your query wrote 3 rows in this batch; the check expects 2: 1 expected row is missing and 2 rows are not expected.',
          },
        ],
      });
    }
  });

  it('a run.batch without a schema (a version 1 runtime) still decodes', () => {
    const { schema: _schema, ...v1 } = fixture('server', 'run.batch').value as Record<string, unknown>;
    const decoded = decodeServerMessage(JSON.stringify(v1));
    expect(decoded).toEqual({ ok: true, message: v1 });
  });

  it('reject a trigger kind or interval the protocol does not have', () => {
    const q = fixture('server', 'run.query').value as Record<string, unknown>;
    expect(decodeServerMessage(JSON.stringify({ ...q, trigger: { kind: 'sometimes', intervalMs: 0 } })).ok).toBe(false);
    expect(decodeServerMessage(JSON.stringify({ ...q, trigger: { kind: 'processingTime', intervalMs: -1 } })).ok).toBe(false);
  });
});
