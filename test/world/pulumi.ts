// The real Pulumi CLI for tests and scripts: found on PATH or built from Pulumi's Go modules (pulumi-cli/build.sh),
// run offline against a local file backend. `createStack` gives a test a throw-away project and stack.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, readFileSync, constants as fsConstants } from "node:fs";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { cacheDir, repoRoot } from "./cache";
import { parseEngineEvents, type EngineEvents } from "./pulumi-events";

export {
  changedSteps,
  messages,
  opOf,
  parseEngineEvents,
  type EngineDiagnostic,
  type EngineEvents,
  type EngineStep,
} from "./pulumi-events";

/** The CLI version we build; `@pulumi/pulumi` in package.json is pinned to the same release. */
export const PULUMI_VERSION = "v3.259.0";

/** Passphrase of the test world's stacks (a test-only value: these stacks hold no real secret). */
export const TEST_PASSPHRASE = "pulumi-es-migrate test world";

const BUILT_BINARIES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, pathVar = process.env.PATH ?? ""): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return dir;
  }
  return undefined;
}

// Our language host's sources, in the order build.sh hashes them.
const HOST_SOURCES = ["main.go", "packages.go", "go.mod", "go.sum"].map((f) =>
  path.join(__dirname, "pulumi-cli", "language-nodejs", f),
);

/** The first 12 hex digits of the sha256 of the host's sources: a changed host gets a folder (and a build) of its own. */
export function hostSourceHash(): string {
  const hash = createHash("sha256");
  for (const file of HOST_SOURCES) hash.update(readFileSync(file));
  return hash.digest("hex").slice(0, 12);
}

/** Where the built CLI and this repository's language host live: <cache>/pulumi/<version>/bin-host-<hash>. */
export function builtPulumiBinDir(): string {
  return cacheDir("pulumi", PULUMI_VERSION, `bin-host-${hostSourceHash()}`);
}

let ensuring: Promise<string> | undefined;

/**
 * Returns the directory holding `pulumi` and its Node.js plugins: the `pulumi` on PATH if there is one, otherwise
 * the cached build, building it first on a cold machine (several minutes on 2 cores; the log path is in the error
 * if it fails). A warm call only checks that the binaries exist: it never starts the Go toolchain.
 */
export function ensurePulumiCli(): Promise<string> {
  ensuring ??= (async () => {
    const onPath = findOnPath("pulumi");
    if (onPath) return onPath;
    const bin = builtPulumiBinDir();
    if (BUILT_BINARIES.every((name) => isExecutable(path.join(bin, name)))) return bin;
    await buildPulumiCli();
    return bin;
  })();
  ensuring.catch(() => (ensuring = undefined));
  return ensuring;
}

async function buildPulumiCli(): Promise<void> {
  const log = cacheDir("pulumi", PULUMI_VERSION, "build.log");
  await fs.mkdir(path.dirname(log), { recursive: true });
  const out = await fs.open(log, "w");
  try {
    process.stderr.write(`[pulumi] building the Pulumi CLI ${PULUMI_VERSION} from Go modules (log: ${log})\n`);
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn("bash", [path.join(__dirname, "pulumi-cli", "build.sh"), cacheDir()], {
        stdio: ["ignore", out.fd, out.fd],
      });
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) throw new Error(`building the Pulumi CLI failed (exit ${code}); see ${log}`);
  } finally {
    await out.close();
  }
}

/** What the CLI needs to run offline. */
export interface PulumiEnvOptions {
  /** Directory from `ensurePulumiCli()`; put first on PATH so the engine finds its plugins there. */
  binDir: string;
  /** State backend, e.g. `file:///tmp/x`. Default: $PULUMI_BACKEND_URL, else file://<cache>/pulumi/backend. */
  backendUrl?: string;
  /** Extra variables (for the program and its providers too); they win over the defaults. */
  extra?: Record<string, string | undefined>;
}

/**
 * The environment of every CLI run: local file backend, a passphrase (unless the caller set one or a passphrase
 * file), no update check, no plugin downloads, PULUMI_HOME in the cache, and PATH with the CLI and the bundled
 * Node 24 first (the engine starts `node` from PATH for programs and dynamic providers).
 */
export function pulumiEnv(opts: PulumiEnvOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // A token or cloud URL from the developer's shell must not send test state anywhere.
  delete env.PULUMI_ACCESS_TOKEN;
  env.PULUMI_BACKEND_URL =
    opts.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? `file://${cacheDir("pulumi", "backend")}`;
  if (!env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE)
    env.PULUMI_CONFIG_PASSPHRASE = TEST_PASSPHRASE;
  env.PULUMI_HOME = cacheDir("pulumi", "home");
  env.PULUMI_SKIP_UPDATE_CHECK = "true";
  env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
  env.PULUMI_SKIP_CONFIRMATIONS = "true";
  env.PATH = [opts.binDir, path.join(repoRoot, "node_modules", ".bin"), process.env.PATH ?? ""].join(path.delimiter);
  for (const [key, value] of Object.entries(opts.extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** The outcome of one CLI run. */
export interface PulumiResult {
  /** The CLI's command line (without the binary), for messages. */
  args: string[];
  /** Exit code; null when the process ended by a signal. */
  code: number | null;
  /** The signal that ended the process, if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of one CLI run. */
export interface RunOptions {
  /** Throw when the CLI exits non-zero. Default true; set false to assert on a failure. */
  check?: boolean;
  /** Extra arguments appended to the command. */
  args?: string[];
  /** Extra environment for the CLI, the program and its providers. */
  env?: Record<string, string | undefined>;
  /** Text written to the CLI's stdin (e.g. a secret for `config set`). */
  input?: string;
  /** Kill the run (its whole process group) after this long. Default 10 minutes. */
  timeoutMs?: number;
}

/** A CLI run started in the background, for tests that interrupt it. */
export interface RunningCommand {
  child: ChildProcess;
  /** Resolves when the CLI exits (never rejects on a non-zero exit). */
  result: Promise<PulumiResult>;
  /** stdout + stderr so far. */
  output(): string;
  /** Resolves once the output matches, rejects after `timeoutMs` or if the CLI exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /**
   * Sends a signal. By default to the CLI's whole process group, as Ctrl-C in a terminal does (the language host,
   * the program and the providers get it too); `{ cliOnly: true }` signals the `pulumi` process alone.
   */
  signal(signal: NodeJS.Signals, opts?: { cliOnly?: boolean }): void;
}

function describe(result: PulumiResult): string {
  const tail = (s: string) => s.split("\n").slice(-40).join("\n");
  return (
    `pulumi ${result.args.join(" ")} exited with ${result.code ?? result.signal}\n` +
    `--- stdout (tail) ---\n${tail(result.stdout)}\n--- stderr (tail) ---\n${tail(result.stderr)}`
  );
}

/** Starts `pulumi <args>` in `cwd` in its own process group (so a timeout or a test can signal all of it). */
export function startPulumi(
  binDir: string,
  cwd: string,
  args: string[],
  opts: Omit<RunOptions, "check"> & { backendUrl?: string } = {},
): RunningCommand {
  const child = spawn(path.join(binDir, "pulumi"), args, {
    cwd,
    env: pulumiEnv({ binDir, backendUrl: opts.backendUrl, extra: opts.env }),
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    listeners.forEach((l) => l());
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    listeners.forEach((l) => l());
  });
  child.stdin!.end(opts.input ?? "");
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  // On timeout: SIGTERM first, so the CLI closes its plugins (they run in process groups of their own), then SIGKILL.
  const timer = setTimeout(
    () => {
      signalGroup("SIGTERM");
      setTimeout(() => signalGroup("SIGKILL"), 10_000).unref();
    },
    opts.timeoutMs ?? 10 * 60_000,
  );
  const result = new Promise<PulumiResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      listeners.forEach((l) => l());
      resolve({ args, code, signal, stdout, stderr });
    });
  });
  running.add(child);
  void result.finally(() => running.delete(child)).catch(() => {});
  return {
    child,
    result,
    output: () => stdout + stderr,
    waitForOutput(pattern, timeoutMs = 120_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout + stderr)) done(resolve);
          else if (child.exitCode !== null || child.signalCode !== null)
            done(() => reject(new Error(`pulumi exited before printing ${pattern}\n${stdout}\n${stderr}`)));
        };
        const t = setTimeout(
          () => done(() => reject(new Error(`no ${pattern} after ${timeoutMs} ms\n${stdout}\n${stderr}`))),
          timeoutMs,
        );
        const done = (f: () => void) => {
          clearTimeout(t);
          listeners.delete(check);
          f();
        };
        listeners.add(check);
        check();
      });
    },
    signal(sig, o) {
      if (o?.cliOnly) child.kill(sig);
      else signalGroup(sig);
    },
  };
}

// Runs still going, so `remove()` / process exit can stop them (no engine or provider left behind).
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** Runs `pulumi <args>` to completion; throws a readable error on a non-zero exit unless `check: false`. */
export async function runPulumi(
  binDir: string,
  cwd: string,
  args: string[],
  opts: RunOptions & { backendUrl?: string } = {},
): Promise<PulumiResult> {
  const result = await startPulumi(binDir, cwd, [...args, ...(opts.args ?? [])], opts).result;
  if ((opts.check ?? true) && result.code !== 0) throw new Error(describe(result));
  return result;
}

/** A config value; `{ secret }` is stored encrypted (set through stdin, never on a command line). */
export type ConfigValue = string | { secret: string };

/** What `createStack` builds. */
export interface StackOptions {
  /**
   * The program: JavaScript source of `index.js`, or `{ dir }`, a folder with `Pulumi.yaml` and the program (copied;
   * test/e2e/programs/* are such folders).
   */
  program: string | { dir: string };
  /** Stack configuration, keys without a namespace get the project's (as `pulumi config set` does). */
  config?: Record<string, ConfigValue>;
  /** Project name when `program` is source text. Default "es-migrate-test". */
  project?: string;
  /** Stack name. Default "test". */
  stack?: string;
  /** Extra environment for every command (the program and its providers see it too). */
  env?: Record<string, string | undefined>;
  /**
   * A node_modules folder to use (linked as the project's) instead of the repo's layout: a real `npm install` of
   * the packed package, e.g. to run a program against what users install, or against an earlier release. `false`:
   * no node_modules and no package.json, as in a Python, Go or YAML user's project.
   */
  nodeModules?: string | false;
  /** The folder of the CLI and its plugins to run, e.g. `ensurePulumiYaml()`'s for YAML programs. Default: `ensurePulumiCli()`'s. */
  binDir?: string;
}

/** A throw-away project and stack; every command runs the real CLI offline. */
export interface TestStack {
  /** The project directory (program, Pulumi.yaml, node_modules). */
  dir: string;
  /** The file backend's directory. */
  stateDir: string;
  preview(opts?: RunOptions): Promise<PulumiResult>;
  up(opts?: RunOptions): Promise<PulumiResult>;
  refresh(opts?: RunOptions): Promise<PulumiResult>;
  destroy(opts?: RunOptions): Promise<PulumiResult>;
  /**
   * The same commands with the engine's structured events (`--event-log`): each resource's step, the diagnostics,
   * the summary's changes. Read results from these; keep the text for what a user reads (an error's wording).
   */
  previewEvents(opts?: RunOptions): Promise<PulumiResult & EngineEvents>;
  upEvents(opts?: RunOptions): Promise<PulumiResult & EngineEvents>;
  refreshEvents(opts?: RunOptions): Promise<PulumiResult & EngineEvents>;
  destroyEvents(opts?: RunOptions): Promise<PulumiResult & EngineEvents>;
  /** Any CLI command in the project directory, e.g. `["config", "set", "k", "v"]`. */
  run(args: string[], opts?: RunOptions): Promise<PulumiResult>;
  /** Starts a command without waiting (e.g. `["up", "--yes", "--skip-preview"]`), to signal it mid-run. */
  start(args: string[], opts?: Omit<RunOptions, "check">): RunningCommand;
  /** Sets one config value (secrets through stdin). */
  setConfig(key: string, value: ConfigValue): Promise<void>;
  /** `pulumi stack export`, parsed: `{ version, deployment: { resources, pending_operations?, ... } }`. */
  exportState(): Promise<any>;
  /** Stack outputs with secrets shown (`pulumi stack output --json --show-secrets`). */
  outputs(): Promise<Record<string, unknown>>;
  /** Every file the backend wrote (current state, backups, history) as one text, for leak checks. */
  stateText(): Promise<string>;
  /** Stops runs still going and deletes the project and its state (does not destroy resources). */
  remove(): Promise<void>;
}

const NO_COLOR = ["--color", "never"];
const NON_INTERACTIVE = ["--non-interactive", ...NO_COLOR];

/** Whether a package folder is a Pulumi resource package (its package.json has `pulumi.resource: true`). */
async function isResourcePackage(dir: string): Promise<boolean> {
  const text = await fs.readFile(path.join(dir, "package.json"), "utf8").catch(() => undefined);
  if (text === undefined) return false;
  try {
    return JSON.parse(text)?.pulumi?.resource === true;
  } catch {
    return false;
  }
}

/**
 * Lays out a project the way a user's install looks: `node_modules/pulumi-es-migrate` is a copy of the package's
 * published files (package.json, dist/), so Pulumi captures its modules as `require("pulumi-es-migrate/...")`
 * exactly as for an installed package; every other dependency is a symlink into the repo's node_modules (one
 * copy of @pulumi/pulumi: Node resolves symlinks to their real path). Dynamic providers start in this directory
 * and resolve `@pulumi/pulumi/cmd/dynamic-provider` from it. Resource packages (`@pulumi/aws`, `@pulumi/alicloud`:
 * devDependencies here, optional peers for users) are left out, as in a user's install: the language host asks the
 * CLI for the plugin of each one it finds, and plugins cannot be downloaded here.
 */
async function layOutNodeModules(projectDir: string): Promise<void> {
  const target = path.join(projectDir, "node_modules");
  await fs.mkdir(target, { recursive: true });
  const source = path.join(repoRoot, "node_modules");
  const link = async (name: string) => {
    if (!(await isResourcePackage(path.join(source, name))))
      await fs.symlink(path.join(source, name), path.join(target, name));
  };
  for (const entry of await fs.readdir(source)) {
    if (entry === "pulumi-es-migrate" || entry === ".package-lock.json") continue;
    if (!entry.startsWith("@")) {
      await link(entry);
      continue;
    }
    await fs.mkdir(path.join(target, entry));
    for (const scoped of await fs.readdir(path.join(source, entry))) await link(`${entry}/${scoped}`);
  }
  const pkgDir = path.join(target, "pulumi-es-migrate");
  await fs.mkdir(pkgDir);
  await fs.copyFile(path.join(repoRoot, "package.json"), path.join(pkgDir, "package.json"));
  await fs.cp(path.join(repoRoot, "dist"), path.join(pkgDir, "dist"), { recursive: true });
}

/** Creates a project and stack in a fresh temporary folder (see `StackOptions`); call `remove()` when done. */
export async function createStack(opts: StackOptions): Promise<TestStack> {
  const binDir = opts.binDir ?? (await ensurePulumiCli());
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "pulumi-es-migrate-stack-"));
  const dir = path.join(root, "project");
  const stateDir = path.join(root, "state");
  await fs.mkdir(stateDir, { recursive: true });
  if (typeof opts.program === "string") {
    await fs.mkdir(dir);
    const project = opts.project ?? "es-migrate-test";
    await fs.writeFile(
      path.join(dir, "Pulumi.yaml"),
      `name: ${project}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
    );
    await fs.writeFile(path.join(dir, "index.js"), opts.program);
  } else {
    await fs.cp(opts.program.dir, dir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
  }
  // Without a package.json the SDK warns on every run that it uses the program directory as project root.
  const pkgJson = path.join(dir, "package.json");
  if (opts.nodeModules !== false)
    await fs
      .writeFile(pkgJson, JSON.stringify({ name: "test-program", private: true, main: "index.js" }), { flag: "wx" })
      .catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "EEXIST") throw err;
      });
  if (opts.nodeModules === undefined) await layOutNodeModules(dir);
  else if (opts.nodeModules !== false) await fs.symlink(opts.nodeModules, path.join(dir, "node_modules"));

  const backendUrl = `file://${stateDir}`;
  const started = new Set<RunningCommand>();
  const start = (args: string[], o: Omit<RunOptions, "check"> = {}) => {
    const cmd = startPulumi(binDir, dir, [...args, ...(o.args ?? [])], {
      ...o,
      env: { ...opts.env, ...o.env },
      backendUrl,
    });
    started.add(cmd);
    void cmd.result.finally(() => started.delete(cmd)).catch(() => {});
    return cmd;
  };
  const run = async (args: string[], o: RunOptions = {}) => {
    const result = await start(args, o).result;
    if ((o.check ?? true) && result.code !== 0) throw new Error(describe(result));
    return result;
  };
  // `--event-log` is one of the CLI's debug flags (the Automation API turns them on the same way).
  let logs = 0;
  const withEvents = async (args: string[], o: RunOptions = {}) => {
    const file = path.join(root, `events-${++logs}.jsonl`);
    const result = await run([...args, "--event-log", file], {
      ...o,
      env: { PULUMI_DEBUG_COMMANDS: "true", ...o.env },
    });
    const text = await fs.readFile(file, "utf8").catch(() => "");
    await fs.rm(file, { force: true });
    return { ...result, ...parseEngineEvents(text) };
  };
  const stackName = opts.stack ?? "test";
  const setConfig = async (key: string, value: ConfigValue) => {
    if (typeof value === "string") await run(["config", "set", key, value, ...NO_COLOR]);
    else await run(["config", "set", "--secret", key, ...NO_COLOR], { input: value.secret });
  };

  await run(["stack", "init", stackName, ...NON_INTERACTIVE]);
  for (const [key, value] of Object.entries(opts.config ?? {})) await setConfig(key, value);

  return {
    dir,
    stateDir,
    preview: (o) => run(["preview", ...NON_INTERACTIVE], o),
    up: (o) => run(["up", "--yes", "--skip-preview", ...NON_INTERACTIVE], o),
    refresh: (o) => run(["refresh", "--yes", "--skip-preview", ...NON_INTERACTIVE], o),
    destroy: (o) => run(["destroy", "--yes", "--skip-preview", ...NON_INTERACTIVE], o),
    previewEvents: (o) => withEvents(["preview", ...NON_INTERACTIVE], o),
    upEvents: (o) => withEvents(["up", "--yes", "--skip-preview", ...NON_INTERACTIVE], o),
    refreshEvents: (o) => withEvents(["refresh", "--yes", "--skip-preview", ...NON_INTERACTIVE], o),
    destroyEvents: (o) => withEvents(["destroy", "--yes", "--skip-preview", ...NON_INTERACTIVE], o),
    run,
    start,
    setConfig,
    async exportState() {
      return JSON.parse((await run(["stack", "export", ...NO_COLOR])).stdout);
    },
    async outputs() {
      return JSON.parse((await run(["stack", "output", "--json", "--show-secrets", ...NO_COLOR])).stdout);
    },
    async stateText() {
      const files = (await fs.readdir(stateDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      const texts = await Promise.all(files.map((f) => fs.readFile(path.join(f.parentPath, f.name), "utf8")));
      return texts.join("\n");
    },
    async remove() {
      for (const cmd of started) {
        cmd.signal("SIGKILL");
        await cmd.result.catch(() => {});
      }
      // Plugins of a killed CLI (language host, dynamic providers) outlive it; they all run in this directory.
      await killProcessesIn(root);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** SIGKILLs every process whose working directory is `dir` or below (Linux /proc; a no-op elsewhere). */
async function killProcessesIn(dir: string): Promise<void> {
  const pids = await fs.readdir("/proc").catch(() => [] as string[]);
  for (const pid of pids.filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => "");
    if (cwd === dir || cwd.startsWith(dir + path.sep)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone, or not ours
      }
    }
  }
}
