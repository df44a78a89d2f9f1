// The requests that write and remove one object, built from its canonical body (pure, so tests read them as data).
// Removing never touches an index: an alias is taken off its indices with `remove` actions, never `remove_index`.
import type { ClusterInfo, ClusterRequest } from "../connection/types";
import { typeless } from "../settings";
import { KINDS } from "./kinds";
import type { Json } from "./read-shapes";
import type { ObjectBody, ObjectKind } from "./types";


/** A template body as a cluster running `dest` takes it: a 6.x destination wants its mappings under a type. */
function wireTemplate(body: Json, dest: ClusterInfo, typeName: string | undefined): Json {
  if (typeless(dest) || body.mappings === undefined) return body;
  return { ...body, mappings: { [typeName ?? "_doc"]: body.mappings } };
}

/**
 * The requests that make the object `name` hold `body` on a cluster running `dest`. For an alias, `previous` (the
 * indices it pointed to) says which indices to take it off, in the same atomic `POST _aliases`.
 */
export function writeRequests(kind: ObjectKind, name: string, body: ObjectBody, dest: ClusterInfo, opts: { typeName?: string; previous?: ObjectBody } = {}): ClusterRequest[] {
  const path = KINDS[kind].path(name);
  switch (kind) {
    case "legacyTemplate":
      return [{ method: "PUT", path, body: wireTemplate(body, dest, opts.typeName) }];
    case "indexTemplate":
    case "componentTemplate":
    case "pipeline":
      return [{ method: "PUT", path, body }];
    case "script":
      return [{ method: "PUT", path, body: { script: body } }];
    case "alias": {
      const removed = Object.keys(opts.previous ?? {}).filter((index) => !(index in body));
      const actions = [
        ...removed.map((index) => ({ remove: { index, alias: name } })),
        ...Object.entries(body as Record<string, Json>).map(([index, options]) => ({ add: { index, alias: name, ...options } })),
      ];
      return [{ method: "POST", path: "/_aliases", body: { actions } }];
    }
  }
}

/** The requests that remove the object; for an alias, from `indices` only (the indices that hold it now). */
export function deleteRequests(kind: ObjectKind, name: string, indices: readonly string[] = []): ClusterRequest[] {
  if (kind === "alias") {
    if (indices.length === 0) return [];
    return [{ method: "POST", path: "/_aliases", body: { actions: indices.map((index) => ({ remove: { index, alias: name } })) } }];
  }
  return [{ method: "DELETE", path: KINDS[kind].path(name), ignore: [404] }];
}
