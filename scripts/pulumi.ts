// `npm run pulumi -- <args>`: the Pulumi CLI of the test world (the one on PATH, else the cached build from Pulumi's
// Go modules, built on first use), run offline in the directory npm was started from. State goes to
// $PULUMI_BACKEND_URL if set, else the local file backend in <cache>/pulumi/backend; the passphrase is
// $PULUMI_CONFIG_PASSPHRASE(_FILE) if set, else the test world's (these stacks are for local runs only).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../test/world/cache";
import { ensurePulumiCli, pulumiEnv } from "../test/world/pulumi";

async function main(): Promise<number> {
  const binDir = await ensurePulumiCli();
  if (!process.env.PULUMI_BACKEND_URL) mkdirSync(cacheDir("pulumi", "backend"), { recursive: true });
  // npm runs scripts in the package root; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const child = spawn(path.join(binDir, "pulumi"), process.argv.slice(2), {
    cwd,
    env: pulumiEnv({ binDir }),
    stdio: "inherit",
  });
  // Ctrl-C reaches the CLI through the terminal's process group and the CLI decides how to stop (the first one
  // cancels gracefully): this wrapper only waits for it.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 1)));
  });
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
