// `npm run reference`: docs/reference/*.md, the input tables (field, type, default, description) generated from the
// resources' zod schemas, so a field's type, default and description are written once, in the schema. `npm run lint`
// fails when a checked-in page differs from what the schemas give (referenceDrift).
import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { destinationIndexInputsSchema } from "../provider/destination-index/schema";
import { migrationFinishInputsSchema } from "../provider/finish/schema";
import { migratedIndexInputsSchema } from "../provider/migrated-index/schema";
import { copyOptionsSchema, reindexInputsSchema } from "../provider/reindex/schema";
import { snapshotMigrationInputsSchema } from "../provider/snapshot/schema";

const ROOT = path.resolve(__dirname, "..");

/** One generated page: its file under docs/reference/, title, a line on what it covers, and its tables. */
interface Page {
  file: string;
  title: string;
  intro: string;
  tables: { heading: string; schema: z.ZodObject }[];
}

const PAGES: Page[] = [
  {
    file: "reindex.md",
    title: "Reindex inputs",
    intro:
      "The inputs of `Reindex` (`pulumi-es-migrate/provider`). Every field may be a Pulumi input (an output of another resource, a secret). How the copy works: [docs/reindex.md](../reindex.md).",
    tables: [{ heading: "Reindex", schema: reindexInputsSchema }],
  },
  {
    file: "copy-options.md",
    title: "Copy options of the migration components",
    intro:
      "The options `IndexMigration`, `ClusterMigration` (`defaults`, `overrides`) and `MigratedIndex` (`copy`) pass to each index's Reindex: the same fields, types and defaults as [Reindex's](reindex.md) (`query` and `size` are its `source.query` and `source.size`).",
    tables: [{ heading: "Copy options", schema: copyOptionsSchema }],
  },
  {
    file: "destination-index.md",
    title: "DestinationIndex inputs",
    intro:
      "The inputs of `DestinationIndex` (`pulumi-es-migrate/provider`). Every field may be a Pulumi input (an output of another resource, a secret). How it creates, updates and protects the index: [docs/destination-index.md](../destination-index.md).",
    tables: [{ heading: "DestinationIndex", schema: destinationIndexInputsSchema }],
  },
  {
    file: "migration-finish.md",
    title: "MigrationFinish inputs",
    intro:
      "The inputs of `MigrationFinish` (`pulumi-es-migrate/provider`): what is restored, counted and cut over once a copy is done. Every field may be a Pulumi input.",
    tables: [{ heading: "MigrationFinish", schema: migrationFinishInputsSchema }],
  },
  {
    file: "migrated-index.md",
    title: "MigratedIndex inputs",
    intro:
      "The inputs of `MigratedIndex` (`pulumi-es-migrate/provider`), one index's whole migration as one resource (what `ClusterMigration` declares per index): its parts take [DestinationIndex's](destination-index.md), [Reindex's](copy-options.md) and [MigrationFinish's](migration-finish.md) fields, with the same types and defaults. Every field may be a Pulumi input.",
    tables: [{ heading: "MigratedIndex", schema: migratedIndexInputsSchema }],
  },
  {
    file: "snapshot-migration.md",
    title: "SnapshotMigration inputs",
    intro:
      "The inputs of `SnapshotMigration` (`pulumi-es-migrate/provider`). Every field may be a Pulumi input (an output of another resource, a secret). How the snapshot, the restore and the catch-up run: [docs/snapshot.md](../snapshot.md).",
    tables: [{ heading: "SnapshotMigration", schema: snapshotMigrationInputsSchema }],
  },
];

interface Meta {
  description?: string;
  defaultText?: string;
  typeText?: string;
}

/** The metadata registered on a schema (`.describe()`, `.meta()`), its parents' included. */
function metaOf(schema: z.ZodType): Meta {
  return (schema.meta() ?? {}) as Meta;
}

type Def = z.ZodType["_zod"]["def"] & Record<string, unknown>;
const defOf = (schema: z.ZodType) => schema._zod.def as Def;

/** The schema under optional/default/transform wrappers, and the default value if one was given. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; defaultValue?: unknown; typeText?: string } {
  let inner = schema;
  let defaultValue: unknown;
  let typeText = metaOf(schema).typeText;
  for (;;) {
    const def = defOf(inner);
    if (def.type === "default") defaultValue = def.defaultValue;
    if (def.type === "optional" || def.type === "default" || def.type === "nullable")
      inner = def.innerType as z.ZodType;
    else if (def.type === "pipe") inner = def.in as z.ZodType;
    else break;
    typeText ??= metaOf(inner).typeText;
  }
  return { inner, defaultValue, typeText };
}

/** Whether a program may leave the field out (optional, or defaulted); a pipe (a transform's input) is neither. */
function optional(schema: z.ZodType): boolean {
  for (let s = schema; ;) {
    const def = defOf(s);
    if (def.type === "optional" || def.type === "default") return true;
    if (def.type === "nullable") s = def.innerType as z.ZodType;
    else if (def.type === "pipe") s = def.in as z.ZodType;
    else return false;
  }
}

/** A short TypeScript-like rendering of a schema's type, e.g. `"remote" | "client"`. */
function typeText(schema: z.ZodType): string {
  const { inner, typeText: named } = unwrap(schema);
  if (named !== undefined) return named;
  const def = defOf(inner);
  switch (def.type) {
    case "string":
    case "boolean":
    case "unknown":
      return def.type;
    case "number":
      return (inner as z.ZodNumber).format?.includes("int") ? "integer" : "number";
    case "literal":
      return (def.values as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
    case "enum":
      return Object.values(def.entries as Record<string, string>)
        .map((v) => JSON.stringify(v))
        .join(" | ");
    case "union":
      return unionText(def.options as z.ZodType[]);
    case "record":
      return `Record<${typeText(def.keyType as z.ZodType)}, ${typeText(def.valueType as z.ZodType)}>`;
    case "array":
      return `${typeText(def.element as z.ZodType)}[]`;
    case "object":
      return `{ ${Object.entries((inner as z.ZodObject).shape)
        .map(([k, v]) => `${k}${optional(v as z.ZodType) ? "?" : ""}`)
        .join(", ")} }`;
    default:
      return def.type;
  }
}

/** A union's members, an object member written with its literal discriminator: `{ type: "full" }`. */
function unionText(options: z.ZodType[]): string {
  return [
    ...new Set(
      options.map((o) => {
        const def = defOf(o);
        if (def.type !== "object") return typeText(o);
        const fields = Object.entries((o as z.ZodObject).shape).map(([k, v]) => {
          const d = defOf(v as z.ZodType);
          if (d.type === "literal") return `${k}: ${typeText(v as z.ZodType)}`;
          return optional(v as z.ZodType) ? `${k}?` : k;
        });
        return `{ ${fields.join(", ")} }`;
      }),
    ),
  ].join(" | ");
}

/** A value as a program writes it: `{ type: "full" }`, `{ "index.refresh_interval": "-1" }`, `"remote"`, `5`. */
function literal(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`)
    .join(", ")} }`;
}

/** A field's description: its own, else the one of the schema it wraps (a part's field made optional here). */
function descriptionOf(schema: z.ZodType): string {
  for (let s: z.ZodType | undefined = schema; s !== undefined;) {
    const text = metaOf(s).description;
    if (text !== undefined) return text;
    const def = defOf(s);
    s = ["optional", "default", "nullable"].includes(def.type) ? (def.innerType as z.ZodType) : undefined;
  }
  return "";
}

function defaultText(schema: z.ZodType, required: boolean): string {
  const { defaultValue } = unwrap(schema);
  if (defaultValue !== undefined) return `\`${literal(defaultValue)}\``;
  return metaOf(schema).defaultText ?? (required ? "required" : "none");
}

/** The rows of an object's fields, each nested object's fields (and a union's members' fields) after it. */
function rows(schema: z.ZodObject, prefix: string): string[][] {
  const out: string[][] = [];
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const name = `${prefix}${key}`;
    const { inner } = unwrap(field);
    const required = !optional(field);
    out.push([`\`${name}\``, typeText(field), defaultText(field, required), descriptionOf(field)]);
    const def = defOf(inner);
    if (def.type === "object") out.push(...rows(inner as z.ZodObject, `${name}.`));
    if (def.type === "union") {
      const members = (def.options as z.ZodType[]).filter((o) => defOf(o).type === "object") as z.ZodObject[];
      const seen = new Set<string>();
      for (const m of members)
        for (const r of rows(m, `${name}.`)) {
          if (seen.has(r[0]) || defOf(m.shape[r[0].slice(name.length + 2, -1)] as z.ZodType).type === "literal")
            continue;
          seen.add(r[0]);
          const which = members
            .filter((o) => r[0].slice(name.length + 2, -1) in o.shape)
            .map((o) => typeText(o.shape.type as z.ZodType));
          out.push([r[0], r[1], r[2], `${which.length < members.length ? `(${which.join(", ")}) ` : ""}${r[3]}`]);
        }
    }
  }
  return out;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** A page's Markdown, as checked in. */
export function renderPage(page: Page): string {
  const lines = [
    `# ${page.title}`,
    "",
    "<!-- Generated by `npm run reference` from the zod schemas; edit the schemas, not this file. -->",
    "",
    page.intro,
  ];
  for (const t of page.tables) {
    lines.push("", `## ${t.heading}`, "", "| Field | Type | Default | Description |", "| --- | --- | --- | --- |");
    for (const r of rows(t.schema, "")) lines.push(`| ${r.map(cell).join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

const pagePath = (page: Page) => path.join(ROOT, "docs", "reference", page.file);

/** The pages whose checked-in text differs from what the schemas give (missing ones included). */
export function referenceDrift(): string[] {
  return PAGES.filter((p) => !fs.existsSync(pagePath(p)) || fs.readFileSync(pagePath(p), "utf8") !== renderPage(p)).map(
    (p) => path.relative(ROOT, pagePath(p)),
  );
}

if (require.main === module) {
  fs.mkdirSync(path.join(ROOT, "docs", "reference"), { recursive: true });
  for (const p of PAGES) fs.writeFileSync(pagePath(p), renderPage(p));
  console.log(`wrote ${PAGES.map((p) => path.relative(ROOT, pagePath(p))).join(", ")}`);
}
