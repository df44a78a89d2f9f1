import { describe, expect, it } from "vitest";
import { gate } from "../../provider/shared/gate";

describe("gate", () => {
  it("runs at most `limit` calls at once and every call to its end, in order of arrival", async () => {
    const g = gate(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const work = (i: number) => async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i * 10;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => g.run(work(i))));
    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it("frees its place when a call fails", async () => {
    const g = gate(1);
    await expect(
      g.run(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(g.run(async () => "next")).resolves.toBe("next");
  });
});
