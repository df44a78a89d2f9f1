import { describe, expect, it } from "vitest";
import { BoundedQueue, QueueClosedError } from "../../provider/copy/queue";

const tick = () => new Promise((r) => setImmediate(r));

describe("bounded queue between readers and writers", () => {
  it("keeps order and ends with undefined once closed and drained", async () => {
    const q = new BoundedQueue<number>(2);
    await q.push(1);
    await q.push(2);
    q.close();
    expect([await q.pop(), await q.pop(), await q.pop()]).toEqual([1, 2, undefined]);
  });

  it("makes a push wait while full, and lets it in when a taker makes room", async () => {
    const q = new BoundedQueue<number>(2);
    await q.push(1);
    await q.push(2);
    let third = false;
    const p = q.push(3).then(() => (third = true));
    await tick();
    expect(third).toBe(false);
    expect(q.size).toBe(2);
    expect(await q.pop()).toBe(1);
    await p;
    expect(third).toBe(true);
    expect(q.size).toBe(2);
    expect([await q.pop(), await q.pop()]).toEqual([2, 3]);
  });

  it("never holds more than its capacity, whatever the producers push", async () => {
    const q = new BoundedQueue<number>(3);
    let maxSeen = 0;
    const producers = [0, 1, 2, 3].map(async (p) => {
      for (let i = 0; i < 50; i++) {
        await q.push(p * 100 + i);
        maxSeen = Math.max(maxSeen, q.size);
      }
    });
    const got: number[] = [];
    const consumer = (async () => {
      for (let x = await q.pop(); x !== undefined; x = await q.pop()) {
        got.push(x);
        if (got.length % 7 === 0) await tick();
      }
    })();
    await Promise.all(producers);
    q.close();
    await consumer;
    expect(maxSeen).toBeLessThanOrEqual(3);
    expect(got.sort((a, b) => a - b)).toEqual(
      [0, 1, 2, 3].flatMap((p) => Array.from({ length: 50 }, (_, i) => p * 100 + i)),
    );
  });

  it("hands an item straight to a waiting taker", async () => {
    const q = new BoundedQueue<string>(1);
    const taken = q.pop();
    await q.push("a");
    expect(await taken).toBe("a");
    expect(q.size).toBe(0);
  });

  it("fails waiting pushes and pops with the reason, and later ones too", async () => {
    const q = new BoundedQueue<number>(1);
    await q.push(1);
    const blockedPush = q.push(2);
    const reason = new Error("destination down");
    q.fail(reason);
    await expect(blockedPush).rejects.toBe(reason);
    await expect(q.pop()).rejects.toBe(reason);
    await expect(q.push(3)).rejects.toBe(reason);
    const empty = new BoundedQueue<number>(1);
    const waiting = empty.pop();
    empty.fail(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it("refuses pushes after close", async () => {
    const q = new BoundedQueue<number>(1);
    q.close();
    await expect(q.push(1)).rejects.toBeInstanceOf(QueueClosedError);
  });
});
