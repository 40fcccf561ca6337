/**
 * The learner realm's TextEncoder and TextDecoder: the same bytes and strings as Node's own on text,
 * random bytes (mostly ill-formed), BOMs, fatal mode and streamed input; and nothing reached from them
 * belongs to the process: here the test process itself allows `new Function`, so a host object among
 * them would hand out `process` — the realm's own `Function` refuses.
 */
import { describe, expect, it } from 'vitest';
import { createSandboxRealm } from '../../../runtime/src/jobs/child/sandbox-realm.js';
import { seededRandom } from '../../../runtime/src/lessons/check-harness.js';
import { toBytes } from '../../../runtime/src/engine/kafka-client/kafka-producer.js';
import { toInternalValue } from '../../../runtime/src/engine/rows.js';
import { BINARY } from '../../../runtime/src/engine/types.js';

type Codec = {
  TextEncoder: typeof TextEncoder;
  TextDecoder: typeof TextDecoder;
  probe: () => Record<string, unknown>;
};

/** A realm as a job process makes one; its globals and a probe run inside it. */
function realm(): Codec {
  const r = createSandboxRealm({ print: () => undefined, write: () => undefined, api: () => ({}), loopGuard: () => undefined });
  return r.evaluate(`
exports.TextEncoder = TextEncoder;
exports.TextDecoder = TextDecoder;
exports.probe = () => {
  const tried = {};
  const attempt = (name, f) => { try { const v = f(); tried[name] = typeof v === 'object' && v !== null && typeof v.pid === 'number' ? 'process' : typeof v; } catch (e) { tried[name] = (e && e.name) + (e instanceof Error ? ' (realm)' : ' (host)'); } };
  const enc = new TextEncoder();
  const bytes = enc.encode('x');
  let decodeError;
  try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])); } catch (e) { decodeError = e; }
  attempt('encoder.constructor.constructor', () => enc.constructor.constructor('return process')());
  attempt('TextEncoder.constructor', () => TextEncoder.constructor('return process')());
  attempt('encode.constructor', () => enc.encode.constructor('return process')());
  attempt('bytes.constructor.constructor', () => bytes.constructor.constructor('return process')());
  attempt('decode.constructor', () => TextDecoder.prototype.decode.constructor('return process')());
  attempt('encoding getter', () => Object.getOwnPropertyDescriptor(TextEncoder.prototype, 'encoding').get.constructor('return process')());
  attempt('encodeInto result', () => enc.encodeInto('a', new Uint8Array(1)).constructor.constructor('return process')());
  attempt('decode error', () => decodeError.constructor.constructor('return process')());
  attempt('async', () => Object.getPrototypeOf(async () => {}).constructor('return process')());
  attempt('patch prototype', () => { 'use strict'; TextEncoder.prototype.encode = () => null; });
  return {
    tried,
    realmObjects: [
      Object.getPrototypeOf(TextEncoder.prototype) === Object.prototype,
      Object.getPrototypeOf(TextDecoder.prototype) === Object.prototype,
      Object.getPrototypeOf(TextEncoder) === Function.prototype,
      bytes instanceof Uint8Array,
      decodeError instanceof TypeError,
      Object.getPrototypeOf(enc.encodeInto('a', new Uint8Array(1))) === Object.prototype,
    ],
    frozen: [Object.isFrozen(TextEncoder), Object.isFrozen(TextEncoder.prototype), Object.isFrozen(TextDecoder), Object.isFrozen(TextDecoder.prototype)],
  };
};
`) as unknown as Codec;
}

const hostEncoder = new TextEncoder();

describe('the realm\'s TextEncoder and TextDecoder', () => {
  const { TextEncoder: Encoder, TextDecoder: Decoder, probe } = realm();

  it('encode as Node does: text, astral characters, lone surrogates, nothing', () => {
    const rnd = seededRandom(15);
    const texts = ['', 'héllo €', '😀 a\u0000b', '\ud800', 'a\udc00b', '\udbff\udfff', 'x'.repeat(10_000)];
    for (let i = 0; i < 500; i++) texts.push(String.fromCharCode(...Array.from({ length: rnd.int(0, 12) }, () => (rnd.chance(0.3) ? rnd.int(0xd7f0, 0xe010) : rnd.int(0, 0x2fff)))));
    for (const t of texts) expect([...new Encoder().encode(t)]).toEqual([...hostEncoder.encode(t)]);
    expect([...new Encoder().encode()]).toEqual([]);
    expect(new Encoder().encoding).toBe('utf-8');
  });

  it('encodeInto stops before a character that does not fit, as Node does', () => {
    for (const [text, room] of [['héllo €', 4], ['😀😀', 5], ['abc', 10], ['\ud800x', 3]] as const) {
      const mine = new Uint8Array(room);
      const node = new Uint8Array(room);
      expect([new Encoder().encodeInto(text, mine), [...mine]]).toEqual([hostEncoder.encodeInto(text, node), [...node]]);
    }
  });

  it('decode as Node does: random bytes, each ill-formed subpart one U+FFFD, from any view or buffer', () => {
    const rnd = seededRandom(2026);
    const interesting = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff];
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: rnd.int(0, 10) }, () => (rnd.chance(0.7) ? rnd.pick(interesting) : rnd.int(0, 255)));
      expect(new Decoder().decode(bytes)).toBe(new TextDecoder().decode(bytes));
    }
    const text = hostEncoder.encode('Node Name: sensor-1 ° 😀');
    expect(new Decoder().decode(text.buffer)).toBe('Node Name: sensor-1 ° 😀');
    expect(new Decoder().decode(new DataView(text.buffer, 5, 4))).toBe('Name');
    expect(new Decoder().decode(Buffer.from('bytes from the engine'))).toBe('bytes from the engine');
    expect(new Decoder().decode()).toBe('');
  });

  it('fatal throws a TypeError on ill-formed input; a leading BOM goes unless ignoreBOM; labels other than UTF-8 are refused', () => {
    expect(() => new Decoder('utf8', { fatal: true }).decode(new Uint8Array([0x61, 0xe2, 0x82]))).toThrow(new TypeError('The encoded data was not valid for encoding utf-8'));
    expect(new Decoder('UTF-8 ', { fatal: true }).decode(new Uint8Array([0x61, 0xe2, 0x82, 0xac]))).toBe('a€');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    expect([new Decoder().decode(bom), new Decoder('utf-8', { ignoreBOM: true }).decode(bom)]).toEqual([new TextDecoder().decode(bom), new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom)]);
    expect(() => new Decoder('latin1')).toThrow(new RangeError('The "latin1" encoding is not supported'));
    const d = new Decoder('utf-8', { fatal: true, ignoreBOM: true });
    expect([d.encoding, d.fatal, d.ignoreBOM]).toEqual(['utf-8', true, true]);
  });

  it('streamed input split at every byte gives the same text as Node', () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...hostEncoder.encode('a€😀b'), 0xf0, 0x9f, 0x98]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const mine = new Decoder();
      const node = new TextDecoder();
      const parts = [bytes.subarray(0, cut), bytes.subarray(cut)];
      expect(mine.decode(parts[0], { stream: true }) + mine.decode(parts[1], { stream: true }) + mine.decode()).toBe(node.decode(parts[0], { stream: true }) + node.decode(parts[1], { stream: true }) + node.decode());
    }
  });

  it('every way from them to a Function constructor ends in the realm, which refuses strings; they are frozen', () => {
    expect(probe()).toEqual({
      tried: {
        'encoder.constructor.constructor': 'EvalError (realm)',
        'TextEncoder.constructor': 'EvalError (realm)',
        'encode.constructor': 'EvalError (realm)',
        'bytes.constructor.constructor': 'EvalError (realm)',
        'decode.constructor': 'EvalError (realm)',
        'encoding getter': 'EvalError (realm)',
        'encodeInto result': 'EvalError (realm)',
        'decode error': 'EvalError (realm)',
        async: 'EvalError (realm)',
        'patch prototype': 'TypeError (realm)',
      },
      realmObjects: [true, true, true, true, true, true],
      frozen: [true, true, true, true],
    });
  });

  it('bytes the realm encodes are bytes to the engine: a record value, a binary column', () => {
    const bytes = new Encoder().encode('{"node_name":"sensor-1"}');
    expect(bytes instanceof Uint8Array).toBe(false);
    expect(toBytes(bytes, 'value')).toEqual(hostEncoder.encode('{"node_name":"sensor-1"}'));
    expect(toInternalValue(bytes.subarray(2, 11), BINARY)).toEqual(hostEncoder.encode('node_name'));
    expect(() => toBytes({ length: 1, 0: 65 }, 'value')).toThrow('value must be a string or bytes (or set value_serializer); got object');
  });
});
