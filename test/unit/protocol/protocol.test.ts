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
  type LegacyRunBatch, type ServerMessage, type StructuredBatchEvent,
} from '../../../runtime/src/protocol/index.js';

const dir = (side: string) => fileURLToPath(new URL(`./fixtures/${side}/`, import.meta.url));
const update = process.env.UPDATE_GOLDENS === '1';

/** Kinds with one shape per API have one fixture per shape, named `<kind>.<api>`. */
const SHAPES: Record<string, string[]> = { 'run.batch': ['structured', 'dstream'] };
const SERVER_FIXTURES = SERVER_KINDS.flatMap((kind) => SHAPES[kind]?.map((shape) => `${kind}.${shape}`) ?? [kind]);

function fixture(side: 'client' | 'server' | 'server-v3', name: string): { text: string; value: unknown } {
  const text = readFileSync(`${dir(side)}${name}.json`, 'utf8');
  return { text, value: JSON.parse(text) };
}

describe('golden fixtures', () => {
  it('exist for exactly the message kinds of each direction', () => {
    const names = (side: string) => readdirSync(dir(side)).map((f) => f.replace(/\.json$/, '')).sort();
    expect(names('client')).toEqual([...CLIENT_KINDS].sort());
    expect(names('server')).toEqual([...SERVER_FIXTURES].sort());
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

  for (const kind of SERVER_FIXTURES) {
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

  it('validates lesson.progress: a step within the lesson\'s steps, a bounded title, learner files, nothing else', () => {
    const base = { kind: 'lesson.progress', id: '1', lessonId: '03-structured-windows', step: 1, steps: 4, title: 'Windows' };
    expect(decodeClientMessage(JSON.stringify(base))).toEqual({ ok: true, message: base });
    for (const bad of [
      { ...base, step: 4 },
      { ...base, step: -1 },
      { ...base, step: 1.5 },
      { ...base, steps: 0 },
      { ...base, title: 'x'.repeat(201) },
      { ...base, lessonId: '' },
      { ...base, files: [] },
      { ...base, files: [{ path: '../../etc/passwd.ts', content: '' }] },
      { ...base, student: 'grace' },
    ]) {
      expect(decodeClientMessage(JSON.stringify(bad)), JSON.stringify(bad)).toMatchObject({ ok: false, id: '1', code: 'bad-message' });
    }
    expect(decodeClientMessage(JSON.stringify({ ...base, step: 4 }))).toMatchObject({ message: expect.stringContaining('step must be below steps') });
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
    expect(negotiateVersion([1, 2, 3, 4])).toBe(4);
    expect(negotiateVersion([7, 8], [1])).toBe(null);
  });

  it('speaks version 10 and still speaks versions 1 to 9', () => {
    expect([PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS]).toEqual([11, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]);
  });
});

describe('messages for an older client', () => {
  const message = (name: string): ServerMessage => {
    const d = decodeServerMessage(fixture('server', name).text);
    if (!d.ok) throw new Error(d.message);
    return d.message;
  };

  it('send a DStream run.batch to version 7 and older without the records its inputs list', () => {
    const current = message('run.batch.dstream');
    if (current.kind !== 'run.batch' || current.api !== 'dstream') throw new Error(current.kind);
    expect(current.trace.inputs[0]!.sample).toHaveLength(3);
    for (const version of [7, 4]) {
      const downgraded = serverMessageForVersion(current, version);
      const { sample: _sample, ...input } = current.trace.inputs[0]!;
      expect(downgraded).toEqual({ ...current, trace: { ...current.trace, inputs: [input] } });
      expect(decodeServerMessage(JSON.stringify(downgraded), version)).toEqual({ ok: true, message: downgraded });
    }
    expect(serverMessageForVersion(current, 8)).toBe(current);
  });

  for (const api of ['structured', 'dstream']) {
    it(`version 3 and 2 clients get the ${api} run.batch exactly as a version 3 runtime sent it, and decode it`, () => {
      const old = fixture('server-v3', `run.batch.${api}`);
      for (const version of [3, 2]) {
        const downgraded = serverMessageForVersion(message(`run.batch.${api}`), version);
        expect(downgraded).toEqual(old.value);
        // Spark's key order in the progress, as before.
        expect(Object.keys((downgraded as { progress: object }).progress)).toEqual(Object.keys((old.value as { progress: object }).progress));
        expect(decodeServerMessage(JSON.stringify(downgraded), version)).toEqual({ ok: true, message: old.value });
      }
    });

    it(`a version 1 client gets the ${api} run.batch of version 3 without its schema`, () => {
      const { schema: _schema, ...v1 } = fixture('server-v3', `run.batch.${api}`).value as Record<string, unknown>;
      const downgraded = serverMessageForVersion(message(`run.batch.${api}`), 1);
      expect(downgraded).toEqual(v1);
      expect(Object.keys(downgraded!)).not.toContain('schema');
      expect(decodeServerMessage(JSON.stringify(downgraded), 1)).toEqual({ ok: true, message: v1 });
    });
  }

  it('a version 3 client gets zeros for the watermark of a query without one, and no eventTime', () => {
    const m = message('run.batch.structured') as StructuredBatchEvent;
    const none = serverMessageForVersion({ ...m, trace: { ...m.trace, watermark: null, eventTime: null } }, 3) as LegacyRunBatch;
    expect(Object.keys(none.progress)).not.toContain('eventTime');
    expect((none.trace as { watermark: unknown }).watermark).toEqual({ beforeMs: 0, afterMs: 0, lateThresholdMs: 0 });
    const noRows = serverMessageForVersion({ ...m, trace: { ...m.trace, eventTime: null } }, 3) as LegacyRunBatch;
    expect(noRows.progress.eventTime).toEqual({ watermark: '1970-01-01T00:00:08.000Z' });
  });

  it('send lessons.get.ok without the lesson\'s data to version 6 and older', () => {
    const m = message('lessons.get.ok') as ServerMessage & { kind: 'lessons.get.ok' };
    const { data: _data, ...lesson } = m.lesson;
    for (const v of [6, 5, 4, 3, 2, 1]) {
      const old = serverMessageForVersion(m, v) as typeof m;
      expect(old).toEqual({ ...m, lesson });
      expect(Object.keys(old.lesson)).not.toContain('data');
    }
  });

  it('keep every other message as it is, version 5 gets everything but run.latency, and version 10 everything but instructor.comment', () => {
    const changed = ['run.query', 'run.batch', 'check.status', 'check.result'];
    for (const name of SERVER_FIXTURES) {
      const m = message(name);
      expect(serverMessageForVersion(m, 11)).toBe(m);
      // The instructor's comments came with version 11: no older client hears them.
      if (m.kind === 'instructor.comment') {
        for (const v of [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]) expect(serverMessageForVersion(m, v)).toBe(null);
        continue;
      }
      expect(serverMessageForVersion(m, 10)).toBe(m);
      expect(serverMessageForVersion(m, 8)).toBe(m);
      // A DStream batch goes to older versions without its inputs' records (above).
      if (name === 'run.batch.dstream') continue;
      expect(serverMessageForVersion(m, 7)).toBe(m);
      if (m.kind === 'lessons.get.ok') continue;
      expect(serverMessageForVersion(m, 6)).toBe(m);
      if (m.kind === 'run.latency') {
        for (const v of [5, 4, 3, 2, 1]) expect(serverMessageForVersion(m, v)).toBe(null);
        continue;
      }
      expect(serverMessageForVersion(m, 5)).toBe(m);
      expect(serverMessageForVersion(m, 4)).toBe(m);
      if (m.kind !== 'run.batch') expect(serverMessageForVersion(m, 3)).toBe(m);
      if (!changed.slice(1).includes(m.kind)) expect(serverMessageForVersion(m, 2)).toBe(m);
      if (!changed.includes(m.kind)) expect(serverMessageForVersion(m, 1)).toBe(m);
    }
  });

  it('leave run.query out for version 1', () => {
    expect(serverMessageForVersion(message('run.query'), 1)).toBe(null);
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

  it('a version 4 decoder refuses the old run.batch, and an old decoder the new one', () => {
    expect(decodeServerMessage(fixture('server-v3', 'run.batch.structured').text).ok).toBe(false);
    expect(decodeServerMessage(fixture('server', 'run.batch.structured').text, 3).ok).toBe(false);
  });

  it('reject a trigger kind or interval the protocol does not have', () => {
    const q = fixture('server', 'run.query').value as Record<string, unknown>;
    expect(decodeServerMessage(JSON.stringify({ ...q, trigger: { kind: 'sometimes', intervalMs: 0 } })).ok).toBe(false);
    expect(decodeServerMessage(JSON.stringify({ ...q, trigger: { kind: 'processingTime', intervalMs: -1 } })).ok).toBe(false);
  });
});

describe('a queued run for clients before version 5', () => {
  const queued = (ahead: number): ServerMessage => ({ kind: 'run.status', runId: 'run-1', state: 'queued', ahead });

  it('is starting, with the runs ahead of it in words', () => {
    for (const version of [1, 2, 3, 4]) {
      expect(serverMessageForVersion(queued(3), version)).toEqual({ kind: 'run.status', runId: 'run-1', state: 'starting', message: 'Waiting for a free slot: 3 runs ahead of yours.' });
      expect(serverMessageForVersion(queued(1), version)).toEqual({ kind: 'run.status', runId: 'run-1', state: 'starting', message: 'Waiting for a free slot: 1 run ahead of yours.' });
      expect(serverMessageForVersion(queued(0), version)).toEqual({ kind: 'run.status', runId: 'run-1', state: 'starting', message: 'Waiting for a free slot: yours is next.' });
    }
  });

  it('is sent as it is to version 5, and decodes there', () => {
    expect(serverMessageForVersion(queued(2), 5)).toEqual(queued(2));
    expect(decodeServerMessage(JSON.stringify(queued(2)))).toEqual({ ok: true, message: queued(2) });
  });
});
