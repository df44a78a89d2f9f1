// Reading where a preview's time goes (bench/profile-preview.ts): a V8 CPU profile (`node --cpu-prof`) summed by
// package and by the module whose loading a sample was part of, and the milestones of an engine log (`-v=9
// --logtostderr`). Pure functions over the files' text, so they are tested on small made-up inputs.

/** The parts of a `.cpuprofile` these summaries read. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  wallMs: number;
  idleMs: number;
  /** Samples inside a module's top-level code (its loading), by the outermost module being loaded (for the program's own file, with the module it required). */
  loadingMs: number;
  loadingByModule: [string, number][];
  /** Self time by package (`node_modules/<package>`), Node's internals, or the category V8 names. */
  selfByPackage: [string, number][];
  /** Self time by function (`name module`), idle left out. */
  selfByFunction: [string, number][];
}

const packageOf = (url: string): string => {
  if (url === "") return "(native)";
  if (url.startsWith("node:")) return "node: internals";
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  return m === null ? url.replace(/^file:\/\//, "") : m[1];
};

const shortModule = (url: string): string => url.replace(/^file:\/\//, "").replace(/.*node_modules\//, "");

const sorted = (m: Map<string, number>, top: number): [string, number][] =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => [k, Math.round(us / 1000)]);

/** Sums a CPU profile's samples: idle, module loading by outermost module, self time by package. */
export function summarizeCpuProfile(profile: CpuProfile, top = 12): CpuSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const microsByNode = new Map<number, number>();
  profile.samples.forEach((id, i) => microsByNode.set(id, (microsByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  let idle = 0;
  let loading = 0;
  const loadingByModule = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  for (const [id, us] of microsByNode) {
    const frame = byId.get(id)!.callFrame;
    const kind =
      frame.functionName === "(idle)"
        ? "(idle)"
        : frame.functionName === "(garbage collector)"
          ? "(garbage collector)"
          : packageOf(frame.url);
    selfByPackage.set(kind, (selfByPackage.get(kind) ?? 0) + us);
    const fn = `${frame.functionName || "(anonymous)"} ${shortModule(frame.url)}`.trim();
    if (kind !== "(idle)") selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + us);
    if (kind === "(idle)") idle += us;
    // A module's top-level code is an anonymous function of its file; the outermost one on the stack is the module
    // whose loading this sample belongs to (with the program's own file, the module it was requiring, if any).
    const modules: string[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parentOf.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === "" && f.url !== "" && !f.url.startsWith("node:")) modules.unshift(shortModule(f.url));
    }
    const outermost = modules.length > 1 && !modules[0].startsWith("/") ? modules[0] : modules.slice(0, 2).join(" > ");
    if (modules.length > 0) {
      loading += us;
      loadingByModule.set(outermost, (loadingByModule.get(outermost) ?? 0) + us);
    }
  }
  return {
    wallMs: Math.round((profile.endTime - profile.startTime) / 1000),
    idleMs: Math.round(idle / 1000),
    loadingMs: Math.round(loading / 1000),
    loadingByModule: sorted(loadingByModule, top),
    selfByPackage: sorted(selfByPackage, top),
    selfByFunction: sorted(selfByFunction, top),
  };
}

/** A milestone of an engine log: what happened, seconds after the log's first line. */
export interface Milestone {
  at: number;
  what: string;
}

const MILESTONES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/langhost\[nodejs\]\.Run\(/, () => "the language host runs the program"],
  [/ResourceMonitor\.RegisterResource received: t=([^,]+), name=([^,]+)/, (m) => `registered ${m[1]} ${m[2]}`],
  [/Launching plugin '([^']+)'/, (m) => `launching plugin ${m[1]}`],
  [/Provider\[[^\]]+\]\.Check\(urn:[^)]*::([^:)]+)\) executing/, (m) => `check ${m[1]} starts`],
  [/Provider\[[^\]]+\]\.Check\(urn:[^)]*::([^:)]+)\) success/, (m) => `check ${m[1]} ends`],
  [/Provider\[[^\]]+\]\.Diff\(urn:[^)]*::([^:),]+)[^)]*\) success/, (m) => `diff ${m[1]} ends`],
  [/SignalAndWaitForShutdown completed/, () => "the program ended"],
];

/**
 * The milestones of a `-v=9 --logtostderr` engine log (JSON lines with `time` and `msg`): the program's start, each
 * registration received, plugin launches, each check and diff. Registrations of more than `maxEach` resources of one
 * type are cut to the first and last.
 */
export function engineTimeline(log: string, maxEach = 6): Milestone[] {
  let t0: number | undefined;
  const out: Milestone[] = [];
  for (const line of log.split("\n")) {
    if (!line.startsWith("{")) continue;
    let entry: { time?: string; msg?: string };
    try {
      entry = JSON.parse(line) as { time?: string; msg?: string };
    } catch {
      continue;
    }
    if (entry.time === undefined || entry.msg === undefined) continue;
    const at = Date.parse(entry.time) / 1000;
    t0 ??= at;
    for (const [re, what] of MILESTONES) {
      const m = re.exec(entry.msg);
      if (m !== null) out.push({ at: Number((at - t0).toFixed(3)), what: what(m) });
    }
  }
  return thin(out, maxEach);
}

/** Keeps at most `maxEach` milestones of one kind (first ones and the last), for logs of hundreds of resources. */
function thin(milestones: Milestone[], maxEach: number): Milestone[] {
  const kindOf = (m: Milestone) => m.what.replace(/ \S+$/, "");
  const counts = new Map<string, number>();
  for (const m of milestones) counts.set(kindOf(m), (counts.get(kindOf(m)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return milestones.filter((m) => {
    const k = kindOf(m);
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n < maxEach || n === counts.get(k);
  });
}
