import { describe, expect, it } from "vitest";
import { pollUntil } from "../../provider/shared/poll";

/** A clock that moves only when the poll pauses, and a state that reads the values given, one per read. */
function world(values: string[]) {
  let t = 0;
  const reads: number[] = [];
  const pauses: number[] = [];
  return {
    reads,
    pauses,
    options: {
      read: async () => {
        reads.push(t);
        return values[Math.min(reads.length - 1, values.length - 1)];
      },
      done: (v: string) => v === "done",
      now: () => t,
      pause: async (ms: number) => {
        pauses.push(ms);
        t += ms;
      },
    },
  };
}

describe("pollUntil", () => {
  it("returns the first state that is done, pausing between reads", async () => {
    const w = world(["running", "running", "done"]);
    const value = await pollUntil({
      ...w.options,
      deadline: 10_000,
      intervalMs: 1000,
      onTimeout: () => new Error("late"),
    });
    expect(value).toBe("done");
    expect(w.reads).toEqual([0, 1000, 2000]);
  });

  it("throws the caller's error, with the last state read, once the deadline has passed", async () => {
    const w = world(["queued", "running"]);
    await expect(
      pollUntil({
        ...w.options,
        deadline: 3000,
        intervalMs: 1000,
        onTimeout: (last) => new Error(`still ${last} at the deadline`),
      }),
    ).rejects.toThrow("still running at the deadline");
    expect(w.reads).toEqual([0, 1000, 2000, 3000]);
  });

  it("reports progress at most once per period while waiting", async () => {
    const w = world(["a", "b", "c", "d", "e", "done"]);
    const reported: string[] = [];
    await pollUntil({
      ...w.options,
      deadline: 60_000,
      intervalMs: 1000,
      onTimeout: () => new Error("late"),
      progress: { everyMs: 2000, report: (last) => void reported.push(last) },
    });
    expect(reported).toEqual(["c", "e"]);
  });

  it("pauses before the first read when the change may not show at once", async () => {
    const w = world(["done"]);
    await pollUntil({
      ...w.options,
      deadline: 60_000,
      intervalMs: 30_000,
      pauseFirst: true,
      onTimeout: () => new Error("late"),
    });
    expect(w.reads).toEqual([30_000]);
  });

  it("passes on an error the read throws", async () => {
    await expect(
      pollUntil({
        read: async () => {
          throw new Error("endpoint ep-1 disappeared");
        },
        done: () => false,
        deadline: Date.now() + 60_000,
        intervalMs: 0,
        onTimeout: () => new Error("late"),
      }),
    ).rejects.toThrow("endpoint ep-1 disappeared");
  });
});
