// The real Pulumi CLI (built from Pulumi's Go modules, see test/world/pulumi.ts) previews, deploys, updates and
// destroys a program with one dynamic resource on a local file backend, offline.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStack, ensurePulumiCli, opOf, PULUMI_VERSION, runPulumi, type TestStack } from "../world/pulumi";

const program = { dir: path.join(__dirname, "programs", "file-resource") };
const TOKEN = "tok-" + Math.random().toString(36).slice(2);

function resourcesOfType(state: any, type: string): any[] {
  return (state.deployment.resources ?? []).filter((r: any) => r.type === type);
}

describe("the Pulumi CLI of the test world", () => {
  it("is the pinned version", async () => {
    const bin = await ensurePulumiCli();
    const { stdout } = await runPulumi(bin, os.tmpdir(), ["version"]);
    expect(stdout.trim()).toBe(PULUMI_VERSION);
  });
});

describe("pulumi preview / up / destroy of a dynamic resource", () => {
  let stack: TestStack;
  let target: string;

  beforeAll(async () => {
    // A relative path: dynamic providers run in the project directory.
    stack = await createStack({
      program,
      config: { path: "greeting.txt", content: "hello", token: { secret: TOKEN } },
    });
    target = path.join(stack.dir, "greeting.txt");
  });
  afterAll(async () => {
    await stack?.remove();
  });

  it("preview plans the create without touching anything", async () => {
    const preview = await stack.previewEvents();
    expect(opOf(preview, "greeting")).toBe("create");
    expect(existsSync(target)).toBe(false);
    expect(resourcesOfType(await stack.exportState(), "pulumi-nodejs:dynamic:Resource")).toHaveLength(0);
  });

  it("up runs the provider and records the resource in the state", async () => {
    const up = await stack.upEvents();
    expect(up.changes).toEqual({ create: 2 });
    expect(readFileSync(target, "utf8")).toBe("hello");

    const state = await stack.exportState();
    const [file] = resourcesOfType(state, "pulumi-nodejs:dynamic:Resource");
    expect(file.id).toBe("greeting.txt");
    expect(file.outputs.content).toBe("hello");
    // The provider itself is serialized into the state: that is what runs on later updates and on destroy.
    expect(file.inputs.__provider).toContain("writeFileSync");
    expect(await stack.outputs()).toMatchObject({ path: "greeting.txt", content: "hello", token: TOKEN });
  });

  it("keeps the secret input encrypted in every state file", async () => {
    const state = await stack.exportState();
    const [file] = resourcesOfType(state, "pulumi-nodejs:dynamic:Resource");
    expect(file.inputs.token).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
    expect(await stack.stateText()).not.toContain(TOKEN);
  });

  it("a second preview has nothing to do; a config change updates the file in place", async () => {
    const again = await stack.previewEvents();
    expect(again.changes).toEqual({ same: 2 });

    await stack.setConfig("content", "hello again");
    const up = await stack.upEvents();
    expect(up.changes).toEqual({ same: 1, update: 1 });
    expect(opOf(up, "greeting")).toBe("update");
    expect(readFileSync(target, "utf8")).toBe("hello again");
  });

  it("destroy deletes the file through the provider and empties the state", async () => {
    const destroy = await stack.destroyEvents();
    expect(destroy.changes).toEqual({ delete: 2 });
    expect(existsSync(target)).toBe(false);
    expect((await stack.exportState()).deployment.resources ?? []).toHaveLength(0);
  });
});

describe("a program that fails", () => {
  let stack: TestStack;
  afterAll(async () => {
    await stack?.remove();
  });

  it("makes up exit non-zero and shows the program's error", async () => {
    stack = await createStack({ program: `throw new Error("the program broke on purpose");\n` });
    const result = await stack.up({ check: false });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("the program broke on purpose");
  });
});

describe("a program that uses the package", () => {
  let stack: TestStack;
  afterAll(async () => {
    await stack?.remove();
  });

  it("runs the package's provider inside the engine (serialized, loaded from node_modules/pulumi-es-migrate)", async () => {
    stack = await createStack({
      program: `
const { DestinationIndex } = require("pulumi-es-migrate");
new DestinationIndex("dest", { cluster: { url: "http://127.0.0.1:9" }, index: "dest" });
`,
    });
    const preview = await stack.previewEvents();
    expect(preview.steps.find((s) => s.name === "dest")).toMatchObject({
      op: "create",
      type: "pulumi-nodejs:dynamic/es-migrate:DestinationIndex",
    });
    // Nothing listens on port 9: the error can only come from the provider's own connection code.
    const up = await stack.up({ check: false });
    expect(up.code).not.toBe(0);
    expect(up.stdout).toContain("destination http://127.0.0.1:9: GET / failed: connection refused");
  });
});

describe("Ctrl-C during pulumi up", () => {
  let stack: TestStack;
  afterAll(async () => {
    await stack?.remove();
  });

  it("lets the operation in flight finish, records it, exits non-zero; the next up has nothing left to do", async () => {
    stack = await createStack({
      program: `
const pulumi = require("@pulumi/pulumi");
const slow = { async create(inputs) { await new Promise((r) => setTimeout(r, 6000)); return { id: "slow", outs: inputs }; } };
class Slow extends pulumi.dynamic.Resource { constructor(name, args) { super(slow, name, args); } }
new Slow("slow", { n: 1 });
`,
    });
    const up = stack.start(["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never"]);
    await up.waitForOutput(/slow\s+creating/);
    up.signal("SIGINT");
    const result = await up.result;
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain("received; cancelling");
    expect(result.stdout).toContain("update canceled");
    // Plugins run in their own process group: the create was not killed, so the resource is in the state.
    const types = ((await stack.exportState()).deployment.resources ?? []).map((r: any) => r.type);
    expect(types).toContain("pulumi-nodejs:dynamic:Resource");
    const again = await stack.upEvents();
    expect(again.changes).toEqual({ same: 2 });
  });
});

describe("a CLI killed outright (SIGKILL)", () => {
  function processesIn(dir: string): string[] {
    const found: string[] = [];
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        // An exited process not reaped yet (a zombie) has an empty command line: it runs nothing.
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (cmdline !== "" && readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) found.push(cmdline);
      } catch {
        // exited meanwhile
      }
    }
    return found;
  }

  it("leaves the language host and the dynamic provider running until remove() sweeps the project directory", async () => {
    const stack = await createStack({
      program: `
const pulumi = require("@pulumi/pulumi");
const slow = { async create(inputs) { await new Promise((r) => setTimeout(r, 120000)); return { id: "slow", outs: inputs }; } };
class Slow extends pulumi.dynamic.Resource { constructor(name, args) { super(slow, name, args); } }
new Slow("slow", { n: 1 });
`,
    });
    const root = path.dirname(stack.dir);
    try {
      const up = stack.start(["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never"]);
      await up.waitForOutput(/slow\s+creating/);
      up.signal("SIGKILL", { cliOnly: true });
      await up.result;
      // Plugins run in process groups of their own, so the CLI's death does not reach them: the language host
      // checks the engine every 5 minutes (as Pulumi's does), and Pulumi's Node.js dynamic provider has no such
      // check at all. Both are still there once the CLI is gone...
      const left = processesIn(root);
      expect(left.some((c) => c.includes("pulumi-language-nodejs"))).toBe(true);
      expect(left.some((c) => c.includes("dynamic-provider"))).toBe(true);
    } finally {
      await stack.remove();
    }
    // ...until remove() sweeps every process working in the stack's folder.
    expect(processesIn(root)).toEqual([]);
  });
});

describe("the language host, where users notice it, as Pulumi's", () => {
  // A package server standing in for a plugin's download site: it records what the CLI asks for.
  let requests: string[];
  let server: http.Server;
  let serverUrl: string;
  beforeAll(async () => {
    requests = [];
    server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/plugins`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("makes the CLI fetch the plugin of every package under node_modules marked pulumi.resource, imported or not", async () => {
    // Plugin downloads on, as for a user: a package that merely sits in node_modules costs a download.
    const stack = await createStack({
      program: "exports.ok = true;",
      env: { PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "false" },
    });
    try {
      await stack.preview();
      expect(requests).toEqual([]);
      const pkg = path.join(stack.dir, "node_modules", "fakecloud-sdk");
      mkdirSync(pkg);
      writeFileSync(
        path.join(pkg, "package.json"),
        JSON.stringify({
          name: "fakecloud-sdk",
          version: "1.2.3",
          pulumi: { resource: true, name: "fakecloud", server: serverUrl },
        }),
      );
      await stack.preview();
      expect(requests).toEqual([
        `GET /plugins/pulumi-resource-fakecloud-v1.2.3-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}.tar.gz`,
      ]);
    } finally {
      await stack.remove();
    }
  });

  it("passes runtime.options.nodeargs to node", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-es-migrate-nodeargs-"));
    writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: nodeargs\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: \"--max-old-space-size=300 --title 'es migrate program'\"\nmain: index.js\n",
    );
    writeFileSync(path.join(dir, "index.js"), "exports.execArgv = process.execArgv;\n");
    const stack = await createStack({ program: { dir } });
    try {
      await stack.up();
      expect((await stack.outputs()).execArgv).toEqual(["--max-old-space-size=300", "--title", "es migrate program"]);
    } finally {
      await stack.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
