/**
 * Builds Kafka protocol messages. Grows a single buffer geometrically so encoding a Fetch
 * response with many batches does not allocate per field.
 */
export class Writer {
  private buf: Buffer;
  private pos = 0;
  /** Finished pieces, when large byte arrays were added by reference (see {@link bytesRef}). */
  private readonly parts: Buffer[] = [];
  private partsLength = 0;
  /** Start of the piece being written in `buf`. */
  private pieceStart = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos++);
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number | bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  uint8(v: number): this {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  uvarint(v: number): this {
    let n = v;
    while (n >= 0x80) {
      this.uint8((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    return this.uint8(n);
  }

  /** Zigzag varint, as used inside records. */
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).raw(b);
  }

  string(s: string): this {
    return this.nullableString(s);
  }

  compactNullableString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s, 'utf8');
    return this.uvarint(b.length + 1).raw(b);
  }

  compactString(s: string): this {
    return this.compactNullableString(s);
  }

  nullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }

  bytes(b: Uint8Array): this {
    return this.nullableBytes(b);
  }

  nullableArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    return this.nullableArray(items, item);
  }

  compactArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }

  /** An empty tagged-field section; this broker never sends tags. */
  emptyTags(): this {
    return this.uvarint(0);
  }

  /**
   * Int32 length and the bytes, the bytes appended by reference when large: a Fetch response
   * carries megabytes of stored batches that need not be copied again. Null writes length -1.
   */
  nullableBytesRef(b: Buffer | null): this {
    if (b === null || b.length < 8192) return this.nullableBytes(b);
    this.int32(b.length);
    this.parts.push(this.buf.subarray(this.pieceStart, this.pos), b);
    this.partsLength += this.pos - this.pieceStart + b.length;
    // Later writes go after `pos`, so the piece just taken is never overwritten.
    this.pieceStart = this.pos;
    return this;
  }

  /** Total bytes written, including pieces added by reference. */
  get totalLength(): number {
    return this.partsLength + this.pos - this.pieceStart;
  }

  /** The message as pieces to write in order, without copying referenced byte arrays. */
  toChunks(): Buffer[] {
    return [...this.parts, this.buf.subarray(this.pieceStart, this.pos)];
  }

  /** The bytes written so far: a view when nothing was added by reference, else one copy. */
  toBuffer(): Buffer {
    if (this.parts.length === 0) return this.buf.subarray(0, this.pos);
    return Buffer.concat(this.toChunks(), this.totalLength);
  }

  /** The bytes written so far, prefixed with their int32 length: one wire frame. */
  toFrame(): Buffer {
    const body = this.toBuffer();
    const out = Buffer.allocUnsafe(4 + body.length);
    out.writeInt32BE(body.length, 0);
    body.copy(out, 4);
    return out;
  }
}
