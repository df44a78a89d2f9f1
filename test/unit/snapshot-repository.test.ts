import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/connection/unknown";
import { registrationBody, repositoryProblems, repositorySecrets } from "../../provider/snapshot/repository";
import { scrubber } from "../../provider/snapshot/run";
import { renamed, validateInputs } from "../../provider/snapshot/validate";

const OSS = {
  endpoint: "oss-cn-hangzhou-internal.aliyuncs.com",
  access_key_id: "LTAI-key-id",
  secret_access_key: "oss-secret-value",
  bucket: "snaps",
  base_path: "es",
  compress: true,
};
const ROLE = "arn:aws:iam::123456789012:role/TheSnapshotRole";

describe("repository settings by type", () => {
  it.each([
    [{ name: "m", type: "fs", settings: { location: "/mnt/s" } }, false, []],
    [{ name: "m", type: "fs", settings: {} }, false, ["repository.settings.location"]],
    [{ name: "m", type: "s3", settings: { bucket: "b" } }, false, []],
    [{ name: "m", type: "s3", settings: { bucket: "b" } }, true, ["repository.settings.role_arn"]],
    [
      { name: "m", type: "s3", settings: { bucket: "b", role_arn: "TheSnapshotRole" } },
      true,
      ["repository.settings.role_arn"],
    ],
    [{ name: "m", type: "s3", settings: { bucket: "b", role_arn: ROLE } }, true, []],
    [{ name: "m", type: "s3", settings: { role_arn: ROLE } }, true, ["repository.settings.bucket"]],
    [{ name: "m", type: "oss", settings: OSS }, false, []],
    [
      { name: "m", type: "oss", settings: { bucket: "b" } },
      false,
      ["repository.settings.endpoint", "repository.settings.access_key_id", "repository.settings.secret_access_key"],
    ],
    [{ name: "m", type: "oss", settings: { ...OSS, compress: "yes" } }, false, ["repository.settings.compress"]],
    [{ name: "m", type: "hdfs", settings: {} }, false, ["repository.type"]],
    [{ name: "Mig", type: "fs", settings: { location: "/x" } }, false, ["repository.name"]],
    [{ name: "m", type: "fs", settings: { location: "/x", readonly: true } }, false, ["repository.settings.readonly"]],
    [{ name: "m", type: "fs", settings: UNKNOWN }, false, []],
    [undefined, false, ["repository"]],
  ])("%o (aws %s): %o", (repo, aws, properties) => {
    expect(repositoryProblems(repo as any, aws).map((p) => p.property)).toEqual(properties);
  });

  it("the destination registers the repository read-only, the source read-write", () => {
    const repo = { name: "m", type: "oss" as const, settings: OSS };
    expect(registrationBody(repo, "source")).toEqual({ type: "oss", settings: OSS });
    expect(registrationBody(repo, "destination")).toEqual({ type: "oss", settings: { ...OSS, readonly: true } });
  });

  it("access keys and secrets are known as secrets and scrubbed from messages", () => {
    const repository = { name: "m", type: "oss" as const, settings: OSS };
    expect(repositorySecrets(repository).sort()).toEqual(["LTAI-key-id", "oss-secret-value"]);
    const scrub = scrubber({
      repository,
      source: { url: "http://s:9200", password: "src-pw", username: "u" },
      destination: { url: "http://d:9200" },
    });
    expect(scrub("failed with key LTAI-key-id and oss-secret-value, src-pw")).toBe(
      "failed with key [redacted] and [redacted], [redacted]",
    );
  });
});

describe("SnapshotMigration inputs", () => {
  const base = {
    source: { url: "http://127.0.0.1:9200" },
    destination: { url: "http://127.0.0.1:9201" },
    repository: { name: "m", type: "fs", settings: { location: "/tmp/r" } },
    indices: ["logs"],
    snapshot: "es-migrate-x",
  };

  it("fills in the defaults", () => {
    const { inputs, failures } = validateInputs({ ...base, catchUp: { field: "ts" } });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      deletionProtection: true,
      verify: "ids",
      timeout: 21600,
      catchUp: { field: "ts", lookback: "5m" },
    });
  });

  it.each([
    [{ indices: [] }, "indices", /non-empty list/],
    [{ indices: ["logs-*"] }, "indices", /is a pattern/],
    [{ indices: ["Logs"] }, "indices", /uppercase/],
    [{ rename: { pattern: "(", replacement: "x" } }, "rename.pattern", /not a regular expression/],
    [
      { indices: ["a", "b"], rename: { pattern: ".+", replacement: "same" } },
      "rename",
      /gives same to more than one index/,
    ],
    [{ verify: "all" }, "verify", /"count", "ids"/],
    [{ catchUp: { field: "ts", lookback: "soon" } }, "catchUp.lookback", /must be a duration/],
    [{ sourceRemote: { host: "http://10.0.0.5" } }, "sourceRemote.host", /port/],
    [{ destination: { url: "ftp://x" } }, "destination.url", /./],
    [{ snapshot: "Snap One" }, "snapshot", /lower-case/],
    [
      {
        repository: { name: "m", type: "s3", settings: { bucket: "b" } },
        destination: { url: "https://search-x.eu-west-1.es.amazonaws.com:443", aws: { region: "eu-west-1" } },
      },
      "repository.settings.role_arn",
      /IAM role/,
    ],
    // A domain reached with basic auth (fine-grained access control) is Amazon OpenSearch Service too.
    [
      {
        repository: { name: "m", type: "s3", settings: { bucket: "b" } },
        destination: { url: "https://search-x.eu-west-1.es.amazonaws.com:443", username: "admin", password: "pw" },
      },
      "repository.settings.role_arn",
      /IAM role/,
    ],
  ])("%o fails on %s", (change, property, reason) => {
    const { failures } = validateInputs({ ...base, ...change });
    const f = failures.find((x) => x.property === property);
    expect(f, JSON.stringify(failures)).toBeDefined();
    expect(f!.reason).toMatch(reason);
  });

  it("renames like the engine's rename_pattern / rename_replacement", () => {
    expect(renamed("logs-2024", { pattern: "logs-(.+)", replacement: "restored-$1" })).toBe("restored-2024");
    expect(renamed("logs", undefined)).toBe("logs");
  });
});
