/**
 * The globals a pipeline's sandbox realm gives learner code besides the ES2022 library
 * (child/sandbox-realm.ts), as a declaration text. The editor and the Run type check both use it, so
 * what the editor accepts is what Run accepts.
 */
export const LEARNER_GLOBALS_DTS = `
declare const console: {
  log(...data: unknown[]): void; info(...data: unknown[]): void; warn(...data: unknown[]): void;
  error(...data: unknown[]): void; debug(...data: unknown[]): void;
};
interface StreamlabTimer { readonly __timer: unique symbol }
declare function setTimeout<A extends unknown[]>(handler: (...args: A) => void, ms?: number, ...args: A): StreamlabTimer;
declare function setInterval<A extends unknown[]>(handler: (...args: A) => void, ms?: number, ...args: A): StreamlabTimer;
declare function clearTimeout(timer: StreamlabTimer | undefined): void;
declare function clearInterval(timer: StreamlabTimer | undefined): void;
declare function queueMicrotask(callback: () => void): void;
/** UTF-8 only, as the WHATWG Encoding Standard defines it. */
declare class TextEncoder {
  readonly encoding: "utf-8";
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
/** UTF-8 only (labels "utf-8", "utf8", …); other encodings throw a RangeError. */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: "utf-8";
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}
/** A stand-in: writing works; env, exit and the rest throw an error that says why. */
declare const process: {
  readonly env: Record<string, string | undefined>;
  readonly stdout: { write(text: string): boolean };
  readonly stderr: { write(text: string): boolean };
  exit(code?: number): never;
  abort(): never;
  kill(pid: number, signal?: string | number): boolean;
};
`;
