// `npm run engine -- <command>`: real OpenSearch / Elasticsearch nodes on 127.0.0.1 for local runs and demos.
//   start <opensearch|elasticsearch>@<version> [--name N] [--port P] [--allow host:port ...] [--setting key=value ...]
//   stop <name ...> | stop --all
//   list
//   build [<engine>@<version> ...]      (default: every verified version)
// Started nodes keep running after this command returns; their logs are in <cache>/run/logs.
import { parseArgs } from "node:util";
import {
  ENGINE_LINES,
  buildEngine,
  listEngines,
  parseEngineSpec,
  startEngine,
  stopAllEngines,
  stopEngineByName,
} from "../test/world/engines";

const USAGE = `usage:
  npm run engine -- start <opensearch|elasticsearch>@<version> [--name <name>] [--port <httpPort>]
                          [--allow <host:port> ...] [--setting <key=value> ...]
  npm run engine -- stop <name ...> | stop --all
  npm run engine -- list
  npm run engine -- build [<engine>@<version> ...]
versions: ${ENGINE_LINES.map((l) => `${l.engine}@${[`${l.major}.x`, ...Object.keys(l.latestPatch).map((m) => `${m}.x`), ...l.verified].join("|")}`).join(", ")}`;

async function start(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      port: { type: "string" },
      allow: { type: "string", multiple: true },
      setting: { type: "string", multiple: true },
    },
  });
  if (positionals.length !== 1) throw new Error(`start takes one <engine>@<version>\n${USAGE}`);
  const { engine, version } = parseEngineSpec(positionals[0]);
  const settings: Record<string, string> = {};
  for (const s of values.setting ?? []) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new Error(`--setting "${s}": expected key=value`);
    settings[s.slice(0, eq)] = s.slice(eq + 1);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port "${values.port}": expected a TCP port number`);
  }
  const node = await startEngine({
    engine,
    version,
    name: values.name,
    port,
    allow: values.allow,
    settings,
    detached: true,
  });
  process.stderr.write(
    `${node.engine} ${node.version} "${node.name}" up in ${(node.startupMs / 1000).toFixed(1)} s (pid ${node.pid}, log ${node.logFile})\n`,
  );
  process.stdout.write(`${node.url}\n`);
}

async function stop(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { all: { type: "boolean" } } });
  if (values.all) {
    const stopped = await stopAllEngines({ everything: true });
    process.stdout.write(stopped.length ? `stopped ${stopped.join(", ")}\n` : "no node was running\n");
    return;
  }
  if (positionals.length === 0) throw new Error(`stop needs node names or --all\n${USAGE}`);
  let missing = 0;
  for (const name of positionals) {
    if (await stopEngineByName(name)) process.stdout.write(`stopped ${name}\n`);
    else {
      process.stderr.write(`no running node named "${name}"\n`);
      missing++;
    }
  }
  if (missing) process.exitCode = 1;
}

function list(): void {
  const nodes = listEngines();
  if (nodes.length === 0) {
    process.stdout.write("no node is running\n");
    return;
  }
  for (const n of nodes) {
    const owner =
      n.ownerPid === undefined ? "detached" : `owner pid ${n.ownerPid}${n.runId ? ` (test run ${n.runId})` : ""}`;
    process.stdout.write(`${n.name}\t${n.engine}@${n.version}\t${n.url}\tpid ${n.pid}\t${owner}\t${n.logFile}\n`);
  }
}

async function build(args: string[]): Promise<void> {
  const specs = args.length
    ? args.map(parseEngineSpec)
    : ENGINE_LINES.flatMap((l) => l.verified.map((version) => ({ engine: l.engine, version })));
  for (const { engine, version } of specs) {
    const started = Date.now();
    const built = await buildEngine(engine, version);
    process.stdout.write(`${engine}@${built.version}\t${((Date.now() - started) / 1000).toFixed(1)} s\t${built.dir}\n`);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return start(rest);
    case "stop":
      return stop(rest);
    case "list":
      return list();
    case "build":
      return build(rest);
    default:
      throw new Error(USAGE);
  }
}

main(process.argv.slice(2)).then(
  // A detached node's handles are unreferenced, but say it plainly: this command is done.
  () => process.exit(process.exitCode ?? 0),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
