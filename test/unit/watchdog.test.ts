// The provider process's engine watchdog against a stand-in engine: an HTTP/2 server answering gRPC health checks
// the way Pulumi's engine does (grpc-status 12, Unimplemented: it serves no health service).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as http2 from "node:http2";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { engineAddress, watchEngine, type EngineWatch } from "../../provider/runtime/watchdog";
import { listenOnLoopback } from "../helpers/http-server";

const repoRoot = path.resolve(__dirname, "..", "..");

interface FakeEngine {
  address: string;
  checks: string[];
  /** Stops listening and closes every connection, as a killed CLI's sockets close. */
  kill(): Promise<void>;
}

async function fakeEngine(opts: { answer: boolean } = { answer: true }): Promise<FakeEngine> {
  const checks: string[] = [];
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createServer();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  server.on("stream", (stream, headers) => {
    checks.push(String(headers[":path"]));
    stream.resume();
    if (opts.answer)
      stream.respond(
        {
          ":status": 200,
          "content-type": "application/grpc",
          "grpc-status": "12",
          "grpc-message": "unknown service grpc.health.v1.Health",
        },
        { endStream: true },
      );
  });
  const address = await listenOnLoopback(server);
  return {
    address,
    checks,
    kill: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function watch(
  address: string,
  opts: { timeoutMs?: number } = {},
): { watch: EngineWatch; gone: Promise<number>; goneYet: () => boolean } {
  let goneAt: number | undefined;
  let resolveGone!: (t: number) => void;
  const gone = new Promise<number>((r) => (resolveGone = r));
  const w = watchEngine({
    address,
    intervalMs: 20,
    timeoutMs: opts.timeoutMs,
    onGone: () => {
      goneAt = Date.now();
      resolveGone(goneAt);
    },
  });
  cleanups.push(() => w.stop());
  return { watch: w, gone, goneYet: () => goneAt !== undefined };
}

describe("the engine watchdog", () => {
  it("keeps watching, one health check after another, while the engine answers", async () => {
    const engine = await fakeEngine();
    cleanups.push(() => engine.kill());
    const w = watch(engine.address);
    await sleep(600);
    expect(w.goneYet()).toBe(false);
    expect(engine.checks.length).toBeGreaterThanOrEqual(5);
    expect(new Set(engine.checks)).toEqual(new Set(["/grpc.health.v1.Health/Check"]));
  });

  it("reports the engine gone within a few checks once its connections close and its port refuses", async () => {
    const engine = await fakeEngine();
    const w = watch(engine.address);
    await sleep(200);
    expect(w.goneYet()).toBe(false);
    const killedAt = Date.now();
    await engine.kill();
    const goneAt = await w.gone;
    expect(goneAt - killedAt).toBeLessThan(1000);
  });

  it("does not count an engine too busy to answer in time as gone", async () => {
    const engine = await fakeEngine({ answer: false });
    cleanups.push(() => engine.kill());
    const w = watch(engine.address, { timeoutMs: 50 });
    await sleep(600);
    expect(w.goneYet()).toBe(false);
    expect(engine.checks.length).toBeGreaterThanOrEqual(3);
  });

  it("reports an address nobody listens on as gone", async () => {
    const engine = await fakeEngine();
    await engine.kill();
    const w = watch(engine.address);
    await expect(w.gone).resolves.toBeGreaterThan(0);
  });
});

describe("engineAddress", () => {
  const host = "/home/u/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
  it.each([
    ["the dynamic-provider host with the engine address", ["node", host, "127.0.0.1:40123"], "127.0.0.1:40123"],
    [
      "the host started by its folder name",
      ["node", "/x/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:40123"],
      "127.0.0.1:40123",
    ],
    [
      "logging and tracing flags before the address",
      ["node", host, "--logtostderr", "-v=9", "--tracing", "127.0.0.1:9411", "127.0.0.1:40123"],
      "127.0.0.1:40123",
    ],
    ["an IPv6 engine address", ["node", host, "[::1]:40123"], "[::1]:40123"],
    ["a provider attached for debugging (no address)", ["node", host], undefined],
    [
      "a Pulumi program process",
      ["node", "/x/@pulumi/pulumi/cmd/run", "--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:2", "/app/index.js"],
      undefined,
    ],
    ["a test runner", ["node", "/x/vitest.mjs", "run"], undefined],
  ])("%s", (_what, argv, expected) => {
    expect(engineAddress(argv)).toBe(expected);
  });
});

describe("a dynamic-provider process using the package's runtime entry", () => {
  // A stand-in for the CLI's provider plugin: a script at the path shape of @pulumi/pulumi's dynamic-provider host,
  // the engine address last, that runs the real host (its gRPC server and its uncaught-exception handler), asks the
  // runtime entry for a provider as every serialized provider does, and then runs a loop of its own: a tick to a file
  // and a burst of progress lines to stdout.
  function startProvider(engine: FakeEngine) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "watchdog-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const hostDir = path.join(dir, "cmd", "dynamic-provider");
    mkdirSync(hostDir, { recursive: true });
    const ticks = path.join(dir, "ticks");
    writeFileSync(
      path.join(hostDir, "index.js"),
      `require(${JSON.stringify(require.resolve("@pulumi/pulumi/cmd/dynamic-provider"))});
require(${JSON.stringify(path.join(repoRoot, "provider", "runtime", "index.ts"))}).provider("Reindex");
setInterval(() => {
  require("node:fs").appendFileSync(${JSON.stringify(ticks)}, ".");
  for (let i = 0; i < 10; i++) console.log("reindex a -> b: progress " + i);
}, 50);
`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", path.join(hostDir, "index.js"), engine.address], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stdout!.resume();
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    cleanups.push(() => child.kill("SIGKILL"));
    const ticked = () => statSync(ticks, { throwIfNoEntry: false })?.size ?? 0;
    return {
      child,
      exited,
      stderr: () => stderr,
      ticked,
      async running() {
        const deadline = Date.now() + 30_000;
        while (ticked() === 0 && Date.now() < deadline) await sleep(100);
        expect(ticked()).toBeGreaterThan(0);
      },
    };
  }

  it("keeps running while its engine answers and exits, its loops with it, within seconds of the engine's death", async () => {
    const engine = await fakeEngine();
    cleanups.push(() => engine.kill());
    const provider = startProvider(engine);
    await provider.running();
    await sleep(3000); // more than the watchdog needs to notice a dead engine
    expect(provider.child.exitCode).toBeNull();
    expect(engine.checks.length).toBeGreaterThanOrEqual(2);

    const killedAt = Date.now();
    await engine.kill();
    expect(await Promise.race([provider.exited, sleep(10_000).then(() => "still running")])).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(provider.stderr()).toContain(
      `the engine at ${engine.address} refused 2 health checks in a row; the provider process stops`,
    );
    const ticked = provider.ticked();
    await sleep(300);
    expect(provider.ticked()).toBe(ticked);
  });

  it("exits at once when nobody reads its output any more, instead of looping on the dead pipe's errors", async () => {
    // The engine still answers: only the output's reader is gone, as when the CLI was killed and its sockets have
    // not been noticed yet.
    const engine = await fakeEngine();
    cleanups.push(() => engine.kill());
    const provider = startProvider(engine);
    await provider.running();
    const closedAt = Date.now();
    provider.child.stdout!.destroy();
    expect(await Promise.race([provider.exited, sleep(5000).then(() => "still running")])).toBe(1);
    expect(Date.now() - closedAt).toBeLessThan(1000);
    expect(provider.stderr()).toContain("the engine stopped reading this process's output (stdout: EPIPE)");
  });
});
