import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the code base", () => {
  it("type-checks in strict mode (tsc --noEmit)", () => {
    const tsc = spawnSync(
      process.execPath,
      [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"],
      {
        encoding: "utf8",
      },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 180_000);
});
