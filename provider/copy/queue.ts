// A bounded FIFO between readers and writers: push waits while it is full, so readers never run ahead of the
// destination by more than `capacity` items. That wait is the copy's backpressure and its memory bound.

export class QueueClosedError extends Error {
  constructor() {
    super("the queue is closed");
    this.name = "QueueClosedError";
  }
}

export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly takers: { resolve: (v: T | undefined) => void; reject: (e: unknown) => void }[] = [];
  private readonly givers: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private closed = false;
  private failure: { reason: unknown } | undefined;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`queue capacity must be a whole number >= 1, got ${capacity}`);
  }

  /** Items waiting (not counting pushes that are themselves waiting for room). */
  get size(): number {
    return this.items.length;
  }

  /** Adds an item; resolves once it is in the queue (at once when there is room, else when a taker made room). */
  push(item: T): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure.reason);
    if (this.closed) return Promise.reject(new QueueClosedError());
    const taker = this.takers.shift();
    if (taker !== undefined) {
      taker.resolve(item);
      return Promise.resolve();
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.givers.push({ item, resolve, reject }));
  }

  /** The next item, waiting for one; undefined once the queue is closed and drained. */
  pop(): Promise<T | undefined> {
    if (this.failure !== undefined) return Promise.reject(this.failure.reason);
    if (this.items.length > 0) {
      const item = this.items.shift()!;
      const giver = this.givers.shift();
      if (giver !== undefined) {
        this.items.push(giver.item);
        giver.resolve();
      }
      return Promise.resolve(item);
    }
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  /** No more pushes: waiting takers get undefined once the items left are taken. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.takers.splice(0)) t.resolve(undefined);
  }

  /** Stops everything: every waiting and later push or pop rejects with `reason`; queued items are dropped. */
  fail(reason: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = { reason };
    this.closed = true;
    this.items.length = 0;
    for (const t of this.takers.splice(0)) t.reject(reason);
    for (const g of this.givers.splice(0)) g.reject(reason);
  }
}
