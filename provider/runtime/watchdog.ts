// A provider process whose engine is gone stops. The engine (the `pulumi` CLI) starts each provider plugin in a
// process group of its own and passes it the engine's gRPC address as the last argument; Pulumi's Go providers check
// that address (sdk/go/pulumi/provider/main.go, rpcutil.Healthcheck: a grpc.health.v1 Check, Unimplemented counting
// as alive) and stop when it fails, but Node.js's dynamic-provider host has no such check: after a SIGKILLed CLI it
// ran on for hours, still copying and verifying, a second writer the next `pulumi up` knows nothing about.
//
// Two signs that the engine is gone, whichever comes first:
// - the same health check, every second over one kept HTTP/2 connection (node:http2, no dependency). Only a refused
//   or broken connection counts as a miss (an engine too busy to answer in time is still there); two in a row stop.
// - a write to stdout or stderr that finds no reader (EPIPE): only the CLI reads them.
// The process then exits. Exiting, rather than asking each loop to stop, is what guarantees that nothing is written
// after that: nobody would receive a result any more, the remote reindex tasks the process started run on at the
// destination (the next `up` attaches to them), and a provider that ends mid-copy or mid-verification is what every
// run already survives (the next `up` continues from the state it finds). Timers and the connection are unref'd:
// the watchdog never keeps a process alive.
import * as fs from "node:fs";
import * as http2 from "node:http2";

/** What one health check found: an answer, a refused or broken connection, or no answer in time. */
export type ProbeResult = "answered" | "gone" | "slow";

export interface EngineWatchOptions {
  /** The engine's gRPC address, `host:port`. */
  address: string;
  /** Milliseconds between the end of one check and the next. Default 1000. */
  intervalMs?: number;
  /** Misses in a row after which the engine counts as gone. Default 2. */
  misses?: number;
  /** Milliseconds a check waits for an answer before it counts as slow (not a miss). Default 10 000. */
  timeoutMs?: number;
  /** Called once when the engine is gone; the watch has stopped by then. */
  onGone: (why: string) => void;
}

export interface EngineWatch {
  stop(): void;
}

/** Checks `address` every `intervalMs` and calls `onGone` once after `misses` refused or broken checks in a row. */
export function watchEngine(opts: EngineWatchOptions): EngineWatch {
  const { intervalMs = 1000, misses = 2, timeoutMs = 10_000 } = opts;
  const probe = new HealthProbe(opts.address);
  let missed = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    probe.close();
  };
  const tick = async () => {
    const result = await probe.check(timeoutMs);
    if (stopped) return;
    missed = result === "gone" ? missed + 1 : result === "answered" ? 0 : missed;
    if (missed >= misses) {
      stop();
      opts.onGone(`the engine at ${opts.address} refused ${missed} health checks in a row`);
      return;
    }
    timer = setTimeout(tick, intervalMs).unref();
  };
  timer = setTimeout(tick, intervalMs).unref();
  return { stop };
}

/** gRPC health checks of one address over a kept HTTP/2 connection (reopened when it breaks). */
class HealthProbe {
  private session: http2.ClientHttp2Session | undefined;

  constructor(private readonly address: string) {}

  check(timeoutMs: number): Promise<ProbeResult> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: ProbeResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // A session that did not answer in time is dropped: the next check starts on a fresh connection.
        if (result !== "answered") this.close();
        resolve(result);
      };
      const timer = setTimeout(() => settle("slow"), timeoutMs).unref();
      try {
        const session = this.open(() => settle("gone"));
        const req = session.request({
          ":method": "POST",
          ":path": "/grpc.health.v1.Health/Check",
          "content-type": "application/grpc",
          te: "trailers",
        });
        // Any answer, grpc-status Unimplemented included (the engine serves no health service), is a live engine.
        req.on("response", () => {
          settle("answered");
          req.close();
        });
        req.on("error", () => settle("gone"));
        req.on("close", () => settle("gone"));
        // One gRPC frame: not compressed, length 0 (an empty HealthCheckRequest).
        req.end(Buffer.alloc(5));
      } catch {
        settle("gone");
      }
    });
  }

  close(): void {
    this.session?.destroy();
    this.session = undefined;
  }

  private open(onBroken: () => void): http2.ClientHttp2Session {
    if (this.session !== undefined && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(`http://${this.address}`);
    session.unref();
    // A refused connection or one the engine's death closed: the check in flight is a miss.
    session.on("error", onBroken);
    session.on("close", () => {
      if (this.session === session) this.session = undefined;
      onBroken();
    });
    this.session = session;
    return session;
  }
}

const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * The engine address of a dynamic-provider process, from its command line (`node <@pulumi/pulumi>/cmd/dynamic-provider
 * [flags] <engine>`: the CLI appends the address after any logging or tracing flags); undefined in any other process
 * (a program, a test) or when the provider was started without one (attached for debugging). Pure.
 */
export function engineAddress(argv: readonly string[]): string | undefined {
  if (!/[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(argv[1] ?? "")) return undefined;
  const last = argv.length > 2 ? argv[argv.length - 1] : undefined;
  return last !== undefined && ADDRESS.test(last) ? last : undefined;
}

let started = false;

/**
 * Starts watching this process's engine, once per process; a no-op outside a dynamic-provider process. Costs a
 * timer and one health check a second on a kept connection.
 */
export function watchEngineOnce(): void {
  if (started) return;
  started = true;
  const address = engineAddress(process.argv);
  if (address === undefined) return;
  const stop = (why: string) => {
    // Nobody may be reading stderr any more (the CLI held the other end of the pipe): a failed write is ignored.
    try {
      fs.writeSync(
        2,
        `pulumi-es-migrate: ${why}; the provider process stops (the next pulumi up continues the migration)\n`,
      );
    } catch {
      // the pipe's reader is gone
    }
    process.exit(1);
  };
  watchEngine({ address, onGone: stop });
  // Only the CLI reads a provider's stdout and stderr: a write that finds no reader (EPIPE) means it is gone. Without
  // a listener that error reaches @pulumi/pulumi's uncaught-exception handler, which keeps every error it sees and
  // prints it to the same dead pipe, raising the next one: a loop that kept an orphan's core busy and grew it by
  // ~20 MB/s until the heap was full.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE")
        stop(
          `the engine stopped reading this process's output (${stream === process.stdout ? "stdout" : "stderr"}: EPIPE)`,
        );
    });
  }
}
