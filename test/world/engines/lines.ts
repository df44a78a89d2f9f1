// The engine lines the test world can run, as data: which launcher builds a version, which settings and JVM flags
// that line needs, and which exact versions "x" specs stand for. Pure: no I/O here.

export type EngineKind = "opensearch" | "elasticsearch";

/**
 * One launcher (a Maven project under test/world/engines/<dir>) and what its nodes need. Every launcher loads the
 * modules a real cluster has (transport-netty4, reindex, ingest-common, analysis-common, parent-join, lang-painless,
 * mapper-extras, lang-mustache; see its EngineNode.java and docs/test-world-engines.md).
 */
export interface EngineLine {
  engine: EngineKind;
  /** Folder of the launcher's pom.xml under test/world/engines. */
  dir: string;
  /** Major version this launcher compiles against. */
  major: number;
  /** Exact versions that "<minor>.x" specs resolve to: the newest patch whose plugins are on Maven Central. */
  latestPatch: Record<string, string>;
  /** Versions run on this machine (JDK 17) by the integration tests. */
  verified: string[];
  /** Settings file the node reads from <home>/config. */
  configFile: string;
  /** Setting that lists the hosts a remote reindex may read from. */
  allowListSetting: string;
  /** Setting for the transport (node-to-node) port. */
  transportPortSetting: string;
  /** JVM flags beyond the common ones. */
  jvmFlags: string[];
  /** Oldest Java the line runs on, when the default Java (17) is too old; the JDK is then looked up (./jdk). */
  minJava?: number;
  /**
   * Whether the node has data streams: OpenSearch in core (1.0+); Elasticsearch only in x-pack (7.9+), which is not on
   * Maven Central, so our Elasticsearch nodes have none.
   */
  dataStreams: boolean;
}

export const ENGINE_LINES: EngineLine[] = [
  {
    engine: "opensearch",
    dir: "opensearch-3",
    major: 3,
    // The newest 3.x whose server, transport-netty4-client and reindex-client are all on Maven Central.
    latestPatch: { "3.9": "3.9.0" },
    verified: ["3.9.0"],
    configFile: "opensearch.yml",
    // 3.0 removed the old name `reindex.remote.whitelist`: only the allowlist is read.
    allowListSetting: "reindex.remote.allowlist",
    transportPortSetting: "transport.port",
    // JDK 23+ dropped the COMPAT locale data; CLDR is what OpenSearch 3's own jvm.options sets.
    // --enable-native-access: Lucene 10 calls the foreign-function API (a warning on every start otherwise).
    jvmFlags: [
      "-Dopensearch.set.netty.runtime.available.processors=false",
      "-Djava.locale.providers=SPI,CLDR",
      "--enable-native-access=ALL-UNNAMED",
    ],
    minJava: 21,
    dataStreams: true,
  },
  {
    engine: "opensearch",
    dir: "opensearch-2",
    major: 2,
    // 2.19.7 has the server on Maven Central but not transport-netty4-client nor reindex-client.
    latestPatch: { "2.19": "2.19.6" },
    verified: ["2.19.6"],
    configFile: "opensearch.yml",
    // OpenSearch 2.x renamed the setting; the old name is still read, with a deprecation warning.
    allowListSetting: "reindex.remote.allowlist",
    transportPortSetting: "transport.port",
    jvmFlags: ["-Dopensearch.set.netty.runtime.available.processors=false", "-Djava.locale.providers=SPI,COMPAT"],
    dataStreams: true,
  },
  {
    engine: "opensearch",
    dir: "opensearch-1",
    major: 1,
    // 1.3.21 is not on Maven Central (nor its plugins).
    latestPatch: { "1.3": "1.3.20" },
    verified: ["1.3.20"],
    configFile: "opensearch.yml",
    // The rename came with 2.0: 1.3.20 refuses to start with `reindex.remote.allowlist` ("unknown setting").
    allowListSetting: "reindex.remote.whitelist",
    transportPortSetting: "transport.port",
    jvmFlags: ["-Dopensearch.set.netty.runtime.available.processors=false", "-Djava.locale.providers=SPI,COMPAT"],
    dataStreams: true,
  },
  {
    engine: "elasticsearch",
    dir: "elasticsearch-7",
    major: 7,
    latestPatch: { "7.10": "7.10.2" },
    verified: ["7.10.2"],
    configFile: "elasticsearch.yml",
    allowListSetting: "reindex.remote.whitelist",
    transportPortSetting: "transport.port",
    jvmFlags: ["-Des.set.netty.runtime.available.processors=false", "-Djava.locale.providers=SPI,COMPAT"],
    dataStreams: false,
  },
  {
    engine: "elasticsearch",
    dir: "elasticsearch-6",
    major: 6,
    latestPatch: { "6.8": "6.8.23" },
    verified: ["6.8.23"],
    configFile: "elasticsearch.yml",
    allowListSetting: "reindex.remote.whitelist",
    // `transport.port` only exists from 7.0.
    transportPortSetting: "transport.tcp.port",
    jvmFlags: ["-Des.set.netty.runtime.available.processors=false", "-Djava.locale.providers=COMPAT"],
    dataStreams: false,
  },
];

/** Flags every node gets: a small heap, and the netty settings of the distributions' jvm.options. */
export const COMMON_JVM_FLAGS = [
  "-Xmx512m",
  "-Dfile.encoding=UTF-8",
  "-Dlog4j2.formatMsgNoLookups=true",
  "-Dio.netty.noUnsafe=true",
  "-Dio.netty.noKeySetOptimization=true",
  "-Dio.netty.recycler.maxCapacityPerThread=0",
];

export interface ResolvedEngine {
  engine: EngineKind;
  /** Exact version, e.g. "2.19.6" for the spec "2.19.x". */
  version: string;
  line: EngineLine;
}

/**
 * Resolves an engine and a version spec ("7.10.2", "2.19.x", "6.8", "3.x") to an exact version and its launcher.
 * Throws, naming what is available, for lines the test world cannot run (Elasticsearch 8.x among them).
 */
export function resolveEngine(engine: string, spec: string): ResolvedEngine {
  if (engine !== "opensearch" && engine !== "elasticsearch") {
    throw new Error(`unknown engine "${engine}": use "opensearch" or "elasticsearch"`);
  }
  const m = /^(\d+)\.(?:(\d+)(?:\.(\d+|x))?|x)$/.exec(spec.trim());
  if (!m)
    throw new Error(
      `version "${spec}" of ${engine}: expected <major>.<minor>.<patch>, <major>.<minor>.x, <major>.<minor> or <major>.x`,
    );
  const [, major, , patch] = m;
  let minor = m[2];
  const line = ENGINE_LINES.find((l) => l.engine === engine && l.major === Number(major));
  if (!line) {
    const known = ENGINE_LINES.map((l) => `${l.engine} ${l.major}.x`).join(", ");
    const why =
      engine === "elasticsearch" && Number(major) >= 8
        ? " (Elasticsearch 8 publishes no reindex module to Maven Central, so an embedded node could not run a remote reindex)"
        : "";
    throw new Error(`${engine} ${spec} cannot run in the test world${why}; lines available: ${known}`);
  }
  // "3.x": the newest minor this line pins.
  minor ??= String(Math.max(...Object.keys(line.latestPatch).map((majorMinor) => Number(majorMinor.split(".")[1]))));
  let version: string;
  if (patch === undefined || patch === "x") {
    const latest = line.latestPatch[`${major}.${minor}`];
    if (!latest) {
      throw new Error(
        `${engine} ${spec}: no pinned patch for ${major}.${minor}; give an exact version (verified: ${line.verified.join(", ")})`,
      );
    }
    version = latest;
  } else {
    version = `${major}.${minor}.${patch}`;
  }
  return { engine, version, line };
}

/** Parses "opensearch@2.19.x" (the CLI's form). */
export function parseEngineSpec(spec: string): ResolvedEngine {
  const at = spec.indexOf("@");
  if (at <= 0) throw new Error(`"${spec}": expected <opensearch|elasticsearch>@<version>, e.g. elasticsearch@7.10.2`);
  return resolveEngine(spec.slice(0, at), spec.slice(at + 1));
}

export interface NodeSettingsInput {
  line: EngineLine;
  name: string;
  home: string;
  logsDir: string;
  httpPort: number;
  transportPort: number;
  allow?: string[];
  settings?: Record<string, string>;
}

/**
 * The node's settings file content. Written as JSON, which YAML parsers read as YAML, so no value needs quoting rules.
 * The caller's settings come last and win.
 */
export function nodeSettings(input: NodeSettingsInput): Record<string, string> {
  const out: Record<string, string> = {
    "cluster.name": input.name,
    "node.name": input.name,
    "path.data": `${input.home}/data`,
    "path.logs": input.logsDir,
    "network.host": "127.0.0.1",
    "http.port": String(input.httpPort),
    [input.line.transportPortSetting]: String(input.transportPort),
    "discovery.type": "single-node",
    // Shared CI disks are often fuller than the 85%/90% watermarks: shards would stay unassigned.
    "cluster.routing.allocation.disk.threshold_enabled": "false",
  };
  // Entries are matched literally by the engine (`127.0.0.1:*` does not cover `localhost`): kept exactly as given.
  if (input.allow && input.allow.length > 0) out[input.line.allowListSetting] = input.allow.join(",");
  return { ...out, ...input.settings };
}
