import { describe, expect, it } from "vitest";
import { engineTimeline, summarizeCpuProfile, type CpuProfile } from "../../bench/profile";

// root -> program top level -> require -> @pulumi/pulumi top level -> its function; program -> idle; program -> our call
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "" }, children: [2, 6, 7] },
    { id: 2, callFrame: { functionName: "", url: "file:///p/project/index.js" }, children: [3, 8] },
    { id: 3, callFrame: { functionName: "require", url: "node:internal/modules/cjs/helpers" }, children: [4] },
    { id: 4, callFrame: { functionName: "", url: "file:///p/node_modules/@pulumi/pulumi/index.js" }, children: [5] },
    { id: 5, callFrame: { functionName: "compile", url: "file:///p/node_modules/@pulumi/pulumi/runtime/x.js" } },
    { id: 6, callFrame: { functionName: "(idle)", url: "" } },
    { id: 7, callFrame: { functionName: "onResponse", url: "file:///p/node_modules/pulumi-es-migrate/dist/a.js" } },
    { id: 8, callFrame: { functionName: "(garbage collector)", url: "" } },
  ],
  startTime: 0,
  endTime: 1_000_000,
  samples: [5, 5, 6, 7, 2, 8],
  timeDeltas: [100_000, 100_000, 500_000, 50_000, 30_000, 20_000],
};

describe("summarizeCpuProfile", () => {
  const s = summarizeCpuProfile(profile);
  it("sums idle time and the wall time", () => {
    expect(s.wallMs).toBe(1000);
    expect(s.idleMs).toBe(500);
  });
  it("counts a sample under a module's top-level code as loading of the outermost module", () => {
    // 200 ms inside @pulumi/pulumi's loading (required by the program), 30 ms in the program's own top level, 20 ms GC there
    expect(s.loadingMs).toBe(250);
    expect(s.loadingByModule).toEqual([
      ["/p/project/index.js > @pulumi/pulumi/index.js", 200],
      ["/p/project/index.js", 50],
    ]);
  });
  it("sums self time by package, idle and garbage collection apart", () => {
    expect(Object.fromEntries(s.selfByPackage)).toEqual({
      "(idle)": 500,
      "@pulumi/pulumi": 200,
      "pulumi-es-migrate": 50,
      "/p/project/index.js": 30,
      "(garbage collector)": 20,
    });
  });
  it("sums self time by function and module, idle left out", () => {
    expect(s.selfByFunction).toEqual([
      ["compile @pulumi/pulumi/runtime/x.js", 200],
      ["onResponse pulumi-es-migrate/dist/a.js", 50],
      ["(anonymous) /p/project/index.js", 30],
      ["(garbage collector)", 20],
    ]);
  });
});

describe("engineTimeline", () => {
  const line = (time: string, msg: string) => JSON.stringify({ time, level: "INFO", msg });
  const log = [
    line("2026-12-02T00:00:00.000Z", "CLI Metadata"),
    "not json",
    line("2026-12-02T00:00:00.250Z", "langhost[nodejs].Run(pwd=/p) executing"),
    line("2026-12-02T00:00:01.000Z", "newPlugin(): Launching plugin 'pulumi-nodejs (resource)' from '/bin/x'"),
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
      line(
        `2026-12-02T00:00:01.${100 + i}Z`,
        `ResourceMonitor.RegisterResource received: t=pulumi-nodejs:dynamic/es-migrate:MigratedIndex, name=cm-${i}, custom=true`,
      ),
    ),
    line(
      "2026-12-02T00:00:01.500Z",
      "Provider[0x1].Check(urn:pulumi:s::p::a$pulumi-nodejs:dynamic/es-migrate:MigratedIndexGroup::cm-group-0) executing (#olds=0,#news=6)",
    ),
    line(
      "2026-12-02T00:00:01.800Z",
      "Provider[0x1].Check(urn:pulumi:s::p::a$pulumi-nodejs:dynamic/es-migrate:MigratedIndexGroup::cm-group-0) success: inputs=#6 failures=#0",
    ),
    line("2026-12-02T00:00:02.000Z", "SignalAndWaitForShutdown completed"),
  ].join("\n");
  const t = engineTimeline(log, 3);
  it("names each milestone with its seconds after the first line", () => {
    expect(t[0]).toEqual({ at: 0.25, what: "the language host runs the program" });
    expect(t[1]).toEqual({ at: 1, what: "launching plugin pulumi-nodejs (resource)" });
    expect(t.slice(-3)).toEqual([
      { at: 1.5, what: "check cm-group-0 starts" },
      { at: 1.8, what: "check cm-group-0 ends" },
      { at: 2, what: "the program ended" },
    ]);
  });
  it("keeps the first and the last of many registrations of one type", () => {
    const registered = t.filter((m) => m.what.startsWith("registered")).map((m) => m.what.split(" ").pop());
    expect(registered).toEqual(["cm-0", "cm-1", "cm-7"]);
  });
});
