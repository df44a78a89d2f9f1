// Comparing two canonical bodies: equal or not, and where they differ, said as the keys a user recognizes
// (`mappings`, `template.settings`, `processors`, an alias's index name).
import { stableJson } from "../shared/stable-json";
import type { ObjectBody, ObjectKind } from "./types";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** True when two canonical bodies mean the same (key order never matters; list order does). */
export function sameBody(a: ObjectBody | undefined, b: ObjectBody | undefined): boolean {
  return stableJson(a ?? null) === stableJson(b ?? null);
}

// How deep differences are named: a composable template's `template` holds settings, mappings and aliases.
const DEPTH: Record<ObjectKind, number> = { indexTemplate: 2, componentTemplate: 2, legacyTemplate: 1, pipeline: 1, script: 1, alias: 1 };

function differingKeys(a: unknown, b: unknown, depth: number, prefix: string): string[] {
  if (stableJson(a) === stableJson(b)) return [];
  if (depth === 0 || !isObject(a) || !isObject(b)) return [prefix];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((k) => differingKeys(a[k], b[k], depth - 1, prefix === "" ? k : `${prefix}.${k}`));
}

/** The keys (dotted, as deep as the kind names them) where `next` differs from `current`; empty when the same. */
export function bodyDifferences(kind: ObjectKind, current: ObjectBody | undefined, next: ObjectBody | undefined): string[] {
  if (current === undefined || next === undefined) return current === next ? [] : ["body"];
  return differingKeys(current, next, DEPTH[kind], "");
}
