/**
 * `TextEncoder` and `TextDecoder` (UTF-8, as the WHATWG Encoding Standard defines them) for the learner's
 * realm, written as source text the realm evaluates itself: every object they make or return (the
 * classes, their prototypes, the Uint8Array, the strings, the errors) belongs to the realm, so nothing
 * reached from them leads to the job process's own objects, and their `constructor.constructor` is the
 * realm's `Function`, which refuses strings. The classes and prototypes are frozen.
 *
 *   decode: bytes → code points by the standard's UTF-8 decoder (each maximal invalid subpart becomes
 *           one U+FFFD, or a TypeError with `fatal`); a leading BOM is dropped unless `ignoreBOM`;
 *           with `{ stream: true }` an incomplete sequence at the end waits for the next call
 *   encode: a string's code points (a lone surrogate as U+FFFD) → UTF-8 bytes
 */

/** Evaluated in the realm; its value is `{ TextEncoder, TextDecoder }`. */
export const REALM_TEXT_CODEC_SOURCE = String.raw`(() => {
  'use strict';
  const LABELS = ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'];
  const toStringOf = Object.prototype.toString;

  function codePoints(s, visit) {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          if (!visit(c, 2)) return;
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (!visit(c, 1)) return;
    }
  }

  const utf8Length = (c) => (c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);

  function put(out, at, c) {
    if (c < 0x80) { out[at] = c; return 1; }
    if (c < 0x800) { out[at] = 0xc0 | (c >> 6); out[at + 1] = 0x80 | (c & 0x3f); return 2; }
    if (c < 0x10000) { out[at] = 0xe0 | (c >> 12); out[at + 1] = 0x80 | ((c >> 6) & 0x3f); out[at + 2] = 0x80 | (c & 0x3f); return 3; }
    out[at] = 0xf0 | (c >> 18); out[at + 1] = 0x80 | ((c >> 12) & 0x3f); out[at + 2] = 0x80 | ((c >> 6) & 0x3f); out[at + 3] = 0x80 | (c & 0x3f);
    return 4;
  }

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') {
      const s = String(input);
      let n = 0;
      codePoints(s, (c) => { n += utf8Length(c); return true; });
      const out = new Uint8Array(n);
      let at = 0;
      codePoints(s, (c) => { at += put(out, at, c); return true; });
      return out;
    }
    encodeInto(source, destination) {
      if (!ArrayBuffer.isView(destination) || toStringOf.call(destination) !== '[object Uint8Array]') throw new TypeError('The "dest" argument must be an instance of Uint8Array.');
      const s = String(source);
      let read = 0;
      let written = 0;
      codePoints(s, (c, units) => {
        const n = utf8Length(c);
        if (written + n > destination.length) return false;
        written += put(destination, written, c);
        read += units;
        return true;
      });
      return { read, written };
    }
  }

  /** The bytes of an ArrayBuffer, SharedArrayBuffer or ArrayBufferView, of this realm or another. */
  function bytesOf(input) {
    if (input === undefined) return new Uint8Array(0);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    const tag = toStringOf.call(input);
    if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(input);
    throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView.');
  }

  const state = new WeakMap();

  class TextDecoder {
    constructor(label = 'utf-8', options = {}) {
      const name = String(label).trim().toLowerCase();
      if (!LABELS.includes(name)) throw new RangeError('The "' + String(label) + '" encoding is not supported');
      const o = options === undefined || options === null ? {} : Object(options);
      state.set(this, { fatal: Boolean(o.fatal), ignoreBOM: Boolean(o.ignoreBOM), pending: [], bomSeen: false });
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return own(this).fatal; }
    get ignoreBOM() { return own(this).ignoreBOM; }
    decode(input = undefined, options = {}) {
      const st = own(this);
      const stream = Boolean(options !== undefined && options !== null && Object(options).stream);
      const fresh = bytesOf(input);
      const bytes = st.pending.length === 0 ? fresh : Uint8Array.from([...st.pending, ...fresh]);
      st.pending = [];
      let out = '';
      let chunk = [];
      const emit = (c) => {
        chunk.push(c);
        if (chunk.length >= 4096) { out += String.fromCodePoint(...chunk); chunk = []; }
      };
      const bad = () => {
        if (st.fatal) {
          st.bomSeen = false;
          throw new TypeError('The encoded data was not valid for encoding utf-8');
        }
        emit(0xfffd);
      };
      let i = 0;
      while (i < bytes.length) {
        const b = bytes[i];
        if (b < 0x80) { emit(b); i++; continue; }
        let need; let c; let lower = 0x80; let upper = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) { need = 1; c = b & 0x1f; }
        else if (b >= 0xe0 && b <= 0xef) { need = 2; c = b & 0x0f; if (b === 0xe0) lower = 0xa0; if (b === 0xed) upper = 0x9f; }
        else if (b >= 0xf0 && b <= 0xf4) { need = 3; c = b & 0x07; if (b === 0xf0) lower = 0x90; if (b === 0xf4) upper = 0x8f; }
        else { bad(); i++; continue; }
        let j = 1;
        for (; j <= need; j++) {
          if (i + j >= bytes.length) break;
          const n = bytes[i + j];
          if (n < lower || n > upper) break;
          lower = 0x80; upper = 0xbf;
          c = (c << 6) | (n & 0x3f);
        }
        if (j > need) { emit(c); i += need + 1; continue; }
        if (i + j >= bytes.length && stream) { st.pending = Array.from(bytes.subarray(i)); break; }
        // A maximal subpart of an ill-formed sequence: one replacement, then go on at the byte that broke it.
        bad();
        i += j;
      }
      if (chunk.length > 0) out += String.fromCodePoint(...chunk);
      if (!st.bomSeen && out.length > 0) {
        st.bomSeen = true;
        if (!st.ignoreBOM && out.charCodeAt(0) === 0xfeff) out = out.slice(1);
      }
      if (!stream) { st.bomSeen = false; st.pending = []; }
      return out;
    }
  }

  function own(decoder) {
    const st = state.get(decoder);
    if (!st) throw new TypeError('Value of "this" must be of type TextDecoder');
    return st;
  }

  for (const C of [TextEncoder, TextDecoder]) {
    Object.freeze(C.prototype);
    Object.freeze(C);
  }
  return Object.freeze({ TextEncoder, TextDecoder });
})()`;
