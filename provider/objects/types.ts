// The cluster objects' shared vocabulary: the kinds, an object as read from a cluster (its body in one canonical,
// engine-independent form), and the plan rows ClusterMigration shows at preview.
import type { ClusterInfo } from "../connection/types";

/** The kinds of cluster objects, one resource class each. */
export type ObjectKind = "indexTemplate" | "legacyTemplate" | "componentTemplate" | "pipeline" | "script" | "alias";

export const OBJECT_KINDS: readonly ObjectKind[] = ["componentTemplate", "indexTemplate", "legacyTemplate", "pipeline", "script", "alias"];

/** A body in canonical form: JSON, template settings flat (`index.` keys, string values), mappings typeless. */
export type ObjectBody = Record<string, unknown>;

/** One object as read from a cluster. */
export interface ClusterObject {
  kind: ObjectKind;
  name: string;
  /** Canonical body: what the object means, without server-added defaults or engine spellings. */
  body: ObjectBody;
  /** The 6.x (or 5.x) mapping type the object's mappings were read under; a 6.x destination needs one again. */
  typeName?: string;
  /** Why the object cannot be read into the canonical form (e.g. a 5.x template with several mapping types). */
  problems?: string[];
}

/** An object the discovery left out, and why (system objects, by the engine's own notion). */
export interface SkippedObject {
  kind: ObjectKind;
  name: string;
  reason: string;
}

/** What `readClusterObjects` found on a cluster. */
export interface ClusterObjects {
  info: ClusterInfo;
  objects: ClusterObject[];
  skipped: SkippedObject[];
}

/** A body made for a destination, and what could not be. */
export interface Translation {
  /** Canonical body for the destination (typeless; `requests` adds a 6.x type back). */
  body: ObjectBody;
  /** Parts of the source body left out, each with why ("setting index.lifecycle.name: OpenSearch has no ILM"). */
  dropped: string[];
  /** Why the object cannot be created at the destination at all; empty when it can. */
  cannot: string[];
}

export type PlanAction = "create" | "same" | "differs" | "cannot";

/** One row of the object plan: what happens to one source object at the destination. */
export interface ObjectPlanRow {
  kind: ObjectKind;
  name: string;
  action: PlanAction;
  /** The body for the destination (absent for `cannot`). */
  body?: ObjectBody;
  /** The source's mapping type, for a 6.x destination. */
  typeName?: string;
  /** For `differs`: the keys (dotted, at most two deep) where the destination's object differs. */
  differences?: string[];
  /** For `cannot`: why. */
  reasons?: string[];
  /** What the translation left out. */
  dropped?: string[];
}
