/** A bounded FIFO with the operations Pekko's buffers need (drop head/tail, clear). */
export class BoundedBuffer<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly capacity: number) {}

  get used(): number {
    return this.items.length - this.head;
  }
  get isEmpty(): boolean {
    return this.used === 0;
  }
  get nonEmpty(): boolean {
    return this.used > 0;
  }
  get isFull(): boolean {
    return this.used >= this.capacity;
  }

  enqueue(elem: T): void {
    if (this.isFull) throw new Error(`Buffer is full (capacity ${this.capacity})`);
    this.items.push(elem);
  }

  dequeue(): T {
    if (this.isEmpty) throw new Error('Buffer is empty');
    const elem = this.items[this.head]!;
    this.head++;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return elem;
  }

  peek(): T {
    if (this.isEmpty) throw new Error('Buffer is empty');
    return this.items[this.head]!;
  }

  /** Removes the oldest element. */
  dropHead(): void {
    this.dequeue();
  }

  /** Removes the newest element. */
  dropTail(): void {
    if (this.isEmpty) throw new Error('Buffer is empty');
    this.items.pop();
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
