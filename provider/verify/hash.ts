// A document's content as one short value. Scans hash `_source` as the engine returned it (JSON.stringify of the
// parsed body keeps its key order: fast, and copies keep key order); the few documents whose hashes differ are
// read again and compared with keys sorted at every level, so other key order or spacing is never a difference.
// Pure.
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

const digest = (text: string) => createHash("sha1").update(text).digest("base64").slice(0, 22);

/** 128 bits of SHA-1 over `_source` as returned: one changed document in billions cannot hide behind a collision. */
export function sourceHash(source: unknown): string {
  return digest(JSON.stringify(source) ?? "null");
}

/** The same over the canonical JSON (keys sorted): equal for the same document whatever its key order. */
export function canonicalHash(source: unknown): string {
  return digest(canonicalJson(source));
}
