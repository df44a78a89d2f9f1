// Snapshot repositories: which settings each type needs, the registration bodies of both sides, and the values in
// them that are secrets. Pure; table-tested in test/unit/snapshot-repository.test.ts.
import { isUnknown } from "../connection/unknown";
import type { Problem } from "../shared/problems";
import { REPOSITORY_TYPES, type RepositorySpec, type RepositoryType } from "./schema";

interface TypeRules {
  required: Record<string, string>;
  optional: string[];
}

// What each type needs, with what the user writes there (for the error). Types whose settings are open-ended keep
// other keys as they are: the engine (or its plugin) says what it does not know.
const RULES: Record<RepositoryType, TypeRules> = {
  fs: {
    required: { location: 'a folder listed in path.repo on every node of both clusters, e.g. "/mnt/snapshots"' },
    optional: ["compress", "chunk_size", "max_snapshot_bytes_per_sec", "max_restore_bytes_per_sec"],
  },
  s3: {
    required: { bucket: 'the S3 bucket, e.g. "my-snapshots"' },
    optional: [
      "base_path",
      "region",
      "endpoint",
      "role_arn",
      "server_side_encryption",
      "compress",
      "chunk_size",
      "storage_class",
      "canned_acl",
      "client",
      "buffer_size",
    ],
  },
  oss: {
    required: {
      endpoint: 'the OSS endpoint of the bucket\'s region, e.g. "oss-cn-hangzhou-internal.aliyuncs.com"',
      access_key_id: "the AccessKey ID of a RAM user that may read and write the bucket",
      secret_access_key: "that AccessKey's secret (as a Pulumi secret)",
      bucket: 'the OSS bucket, e.g. "es-snapshots"',
    },
    optional: ["base_path", "compress", "chunk_size", "security_token"],
  },
};

/** Amazon's form of an IAM role ARN (what `role_arn` must be on Amazon OpenSearch Service). */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SECRET_KEY = /(secret|password|token|access_key)/i;

/**
 * Problems with a repository (each names the field and the fix). `aws`: a side is an Amazon OpenSearch Service
 * domain, where an s3 repository is registered with an IAM role the service assumes (`role_arn`), as AWS documents
 * under "Registering a manual snapshot repository".
 */
export function repositoryProblems(repo: Partial<RepositorySpec> | undefined, aws: boolean): Problem[] {
  const out: Problem[] = [];
  const add = (property: string, reason: string) => out.push({ property, reason });
  if (repo === undefined || repo === null || typeof repo !== "object") {
    add("repository", 'is required: { name, type: "fs" | "s3" | "oss", settings }');
    return out;
  }
  if (isUnknown(repo)) return out;
  if (!isUnknown(repo.name) && (typeof repo.name !== "string" || !/^[a-z0-9][a-z0-9_.-]*$/.test(repo.name))) {
    add(
      "repository.name",
      `must be a lower-case repository name (letters, digits, "-", "_", "."), e.g. "migration", got ${JSON.stringify(repo.name)}`,
    );
  }
  if (isUnknown(repo.type)) return out;
  if (!REPOSITORY_TYPES.includes(repo.type as RepositoryType)) {
    add(
      "repository.type",
      `must be "fs" (a shared folder), "s3" (Amazon S3; Amazon OpenSearch Service) or "oss" (Alibaba Cloud OSS), got ${JSON.stringify(repo.type)}`,
    );
    return out;
  }
  const settings = repo.settings;
  if (isUnknown(settings)) return out;
  if (settings === undefined || settings === null || typeof settings !== "object" || Array.isArray(settings)) {
    add(
      "repository.settings",
      `must be an object of the ${repo.type} repository's settings (${Object.keys(RULES[repo.type!].required).join(", ")} required)`,
    );
    return out;
  }
  const rules = RULES[repo.type!];
  for (const [key, what] of Object.entries(rules.required)) {
    const v = settings[key];
    if (v === undefined || v === "")
      add(`repository.settings.${key}`, `is required for a ${repo.type} repository: ${what}`);
    else if (!isUnknown(v) && typeof v !== "string") add(`repository.settings.${key}`, `must be a string: ${what}`);
  }
  if (repo.type === "s3" && aws) {
    const arn = settings.role_arn;
    if (arn === undefined) {
      add(
        "repository.settings.role_arn",
        'is required on Amazon OpenSearch Service: the IAM role the service assumes to reach the bucket, e.g. "arn:aws:iam::123456789012:role/TheSnapshotRole" (its trust policy names es.amazonaws.com; your identity needs iam:PassRole on it)',
      );
    } else if (!isUnknown(arn) && (typeof arn !== "string" || !ROLE_ARN.test(arn))) {
      add(
        "repository.settings.role_arn",
        `must be an IAM role ARN like "arn:aws:iam::123456789012:role/TheSnapshotRole", got ${JSON.stringify(arn)}`,
      );
    }
  }
  if (
    repo.type === "oss" &&
    settings.compress !== undefined &&
    !isUnknown(settings.compress) &&
    typeof settings.compress !== "boolean"
  ) {
    add("repository.settings.compress", `must be true or false, got ${JSON.stringify(settings.compress)}`);
  }
  if (settings.readonly !== undefined)
    add(
      "repository.settings.readonly",
      "is set by the migration itself (read-write at the source, read-only at the destination): remove it",
    );
  return out;
}

/** The body of `PUT _snapshot/<name>` on each side: the destination only reads the repository. */
export function registrationBody(
  repo: RepositorySpec,
  side: "source" | "destination",
): { type: string; settings: Record<string, unknown> } {
  const settings = { ...repo.settings };
  if (side === "destination") settings.readonly = true;
  return { type: repo.type, settings };
}

/** The settings' values that are credentials (access keys, secrets, tokens): never in logs or errors. */
export function repositorySecrets(repo: Partial<RepositorySpec> | undefined): string[] {
  return Object.entries(repo?.settings ?? {})
    .filter(([k, v]) => SECRET_KEY.test(k) && typeof v === "string" && v !== "")
    .map(([, v]) => v as string);
}
