// Resources a program declares itself, not only as a served component's child (SnapshotMigration). In TypeScript,
// the resource's class adds to the props before registering: a default derived from the resource's name, secret
// wrappers around the connections. A YAML or Python program registers the props as written, so the plugin's check
// adds the same before the provider checks them; for a child the served component built, the class already did.
import { defaultSnapshotName } from "../provider/snapshot/resource";
import { SNAPSHOT_SECRET_INPUTS } from "../provider/snapshot/schema";

type Props = Record<string, unknown>;

/** What a resource class's constructor does to its props: defaults from its name, and the props it makes secret. */
interface Declared {
  props(name: string, news: Props): Props;
  secrets: readonly string[];
}

const DECLARED: Record<string, Declared> = {
  SnapshotMigration: {
    props: (name, news) => ({ ...news, snapshot: news.snapshot ?? defaultSnapshotName(name) }),
    secrets: SNAPSHOT_SECRET_INPUTS,
  },
};

/**
 * The props of the resource at `urn` as its TypeScript class registers them, and which of them it keeps secret
 * (`type` is the resource's type name, e.g. "SnapshotMigration").
 */
export function asDeclared(urn: string, type: string, news: Props): { news: Props; secrets: readonly string[] } {
  const declared = DECLARED[type];
  if (declared === undefined) return { news, secrets: [] };
  const name = urn.split("::").slice(3).join("::");
  return { news: declared.props(name, news), secrets: declared.secrets };
}
