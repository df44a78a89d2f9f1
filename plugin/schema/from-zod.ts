// Pulumi schema properties from the package's zod schemas, so that a field's type, default and description are
// written once (in the schema that validates it) for TypeScript users, the reference pages and the served SDKs.
// Served languages get no unions: a union of objects sharing a literal `type` becomes one object whose `type` names
// the variant (the same value the zod schema then validates), Pulumi's unknown sentinel (accepted at preview by the
// connection schema) is left out, and a union of scalars becomes `Any` with its forms in the description.
import type { z } from "zod";
import { UNKNOWN } from "../../provider/connection/unknown";

/** A property of a Pulumi package schema (the subset this package uses). */
export interface PropertySpec {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  description?: string;
  secret?: boolean;
}

/** An object type of the schema's `types`. */
export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

/** A resource or component of the schema's `resources`. */
export interface ResourceSpec extends Omit<ObjectTypeSpec, "type"> {
  isComponent?: boolean;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
}

export const ANY: PropertySpec = { $ref: "pulumi.json#/Any" };

type Def = z.ZodType["_zod"]["def"] & Record<string, unknown>;
const defOf = (schema: z.ZodType) => schema._zod.def as Def;
const metaOf = (schema: z.ZodType) =>
  (schema.meta() ?? {}) as { description?: string; defaultText?: string; typeText?: string };

/** A field's schema under its optional/default/pipe wrappers, whether it may be left out, and its default. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; defaultText?: string } {
  let inner = schema;
  let optional = false;
  let defaultText = metaOf(schema).defaultText;
  for (;;) {
    const def = defOf(inner);
    if (def.type === "default") defaultText ??= JSON.stringify(def.defaultValue);
    if (def.type === "optional" || def.type === "default" || def.type === "nullable") {
      optional = true;
      inner = def.innerType as z.ZodType;
    } else if (def.type === "pipe") inner = def.in as z.ZodType;
    else if (def.type === "readonly") inner = def.innerType as z.ZodType;
    else break;
    defaultText ??= metaOf(inner).defaultText;
  }
  return { inner, optional, defaultText };
}

const isUnknownSentinel = (o: z.ZodType) => {
  const def = defOf(o);
  return def.type === "literal" && (def.values as unknown[]).includes(UNKNOWN);
};

/** Collects the object types a package's properties refer to, each zod object under one name. */
export class TypeRegistry {
  readonly types: Record<string, ObjectTypeSpec> = {};
  private readonly named = new Map<z.ZodType, string>();
  private readonly customs = new Map<string, PropertySpec>();

  /**
   * @param pkg the package name of type tokens (`<pkg>:index:<Name>`)
   * @param descriptions field descriptions for object types whose zod schema has none, by type name and field
   */
  constructor(
    private readonly pkg: string,
    private readonly descriptions: Record<string, Record<string, string>> = {},
  ) {}

  token(name: string): string {
    return `${this.pkg}:index:${name}`;
  }

  /**
   * Uses `spec` for every `z.custom` schema whose `typeText` (the name the reference pages show for it) is
   * `typeText`: e.g. the connections Reindex's schema takes as checked elsewhere, as the Connection type.
   */
  custom(typeText: string, spec: PropertySpec): void {
    this.customs.set(typeText, spec);
  }

  /** Registers an object type under `name` (once per zod object) and returns a reference to it. */
  object(name: string, schema: z.ZodObject | z.ZodType[], description?: string): PropertySpec {
    const key = Array.isArray(schema) ? schema[0] : schema;
    const known = this.named.get(key);
    if (known !== undefined) return { $ref: `#/types/${this.token(known)}` };
    if (this.types[this.token(name)] !== undefined) throw new Error(`two object types named ${name}`);
    this.named.set(key, name);
    const spec: ObjectTypeSpec = { type: "object", properties: {} };
    if (description !== undefined) spec.description = description;
    this.types[this.token(name)] = spec;
    const members = (Array.isArray(schema) ? schema : [schema]) as z.ZodObject[];
    const required = new Set<string>();
    const discriminator = Object.keys(members[0].shape).find((f) =>
      members.every((m) => f in m.shape && defOf(m.shape[f] as z.ZodType).type === "literal"),
    );
    for (const field of new Set(members.flatMap((m) => Object.keys(m.shape)))) {
      const variants = members.flatMap((m) => (field in m.shape ? [m.shape[field] as z.ZodType] : []));
      if (variants.length === members.length && variants.every((v) => !unwrap(v).optional)) required.add(field);
      const hand = this.descriptions[name]?.[field];
      // A discriminator (a literal in each variant) takes every variant's value.
      const literals = variants.every((v) => defOf(v).type === "literal")
        ? variants.flatMap((v) => defOf(v).values as unknown[])
        : undefined;
      // A field of some variants only says of which.
      const which =
        discriminator === undefined || variants.length === members.length
          ? ""
          : `(${discriminator} ${members
              .filter((m) => field in m.shape)
              .map((m) => JSON.stringify((defOf(m.shape[discriminator] as z.ZodType).values as unknown[])[0]))
              .join(" or ")}) `;
      const property = this.property(`${name}${capitalize(field)}`, variants[0], hand);
      spec.properties[field] =
        literals === undefined
          ? { ...property, description: `${which}${property.description ?? ""}`.trim() }
          : {
              type: "string",
              description: `${hand ?? "The variant."} One of ${literals.map((v) => JSON.stringify(v)).join(", ")}.`,
            };
    }
    if (required.size > 0) spec.required = [...required];
    return { $ref: `#/types/${this.token(name)}` };
  }

  /** The property for a field's zod schema; `name` names an object type it needs, `description` wins over the zod one. */
  property(name: string, schema: z.ZodType, description?: string): PropertySpec {
    const { inner, defaultText } = unwrap(schema);
    const text = description ?? metaOf(schema).description ?? metaOf(inner).description;
    const spec = this.bare(name, inner, text);
    const withDefault =
      defaultText === undefined ? spec.description : `${spec.description ?? ""} Default: ${defaultText}.`;
    return withDefault === undefined ? spec : { ...spec, description: withDefault.trim() };
  }

  private bare(name: string, schema: z.ZodType, description: string | undefined): PropertySpec {
    const def = defOf(schema);
    const custom = def.type === "custom" ? this.customs.get(metaOf(schema).typeText ?? "") : undefined;
    if (custom !== undefined) return description === undefined ? custom : { ...custom, description };
    const described = (spec: PropertySpec): PropertySpec =>
      description === undefined ? spec : { ...spec, description };
    switch (def.type) {
      case "string":
      case "boolean":
        return described({ type: def.type });
      case "number":
        return described({ type: (schema as z.ZodNumber).format?.includes("int") ? "integer" : "number" });
      case "literal":
      case "enum": {
        const values = def.type === "enum" ? Object.values(def.entries as object) : (def.values as unknown[]);
        const type = typeof values[0] === "number" ? "number" : typeof values[0] === "boolean" ? "boolean" : "string";
        const oneOf = `One of ${values.map((v) => JSON.stringify(v)).join(", ")}.`;
        return { type, description: description === undefined ? oneOf : `${description} ${oneOf}` };
      }
      case "array":
        return described({ type: "array", items: this.property(name, def.element as z.ZodType) });
      case "record":
        return described({ type: "object", additionalProperties: this.property(name, def.valueType as z.ZodType) });
      case "object":
        return { ...this.object(name, schema as z.ZodObject), ...(description === undefined ? {} : { description }) };
      case "union": {
        const options = (def.options as z.ZodType[]).filter((o) => !isUnknownSentinel(o));
        if (options.length === 1) return this.property(name, options[0], description);
        if (options.every((o) => defOf(o).type === "object"))
          return {
            ...this.object(name, options as z.ZodObject[]),
            ...(description === undefined ? {} : { description }),
          };
        const forms = options.map((o) => this.bare(name, unwrap(o).inner, undefined).type ?? "value");
        return { ...ANY, description: `${description ?? ""} A ${[...new Set(forms)].join(" or ")}.`.trim() };
      }
      default:
        return described(ANY);
    }
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The properties of a zod object (each field through `registry`) and the fields it requires. */
export function propertiesOf(
  registry: TypeRegistry,
  prefix: string,
  schema: z.ZodObject,
  descriptions: Record<string, string> = {},
): { properties: Record<string, PropertySpec>; required: string[] } {
  const properties: Record<string, PropertySpec> = {};
  const required: string[] = [];
  for (const [field, fieldSchema] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    properties[field] = registry.property(`${prefix}${capitalize(field)}`, fieldSchema, descriptions[field]);
    if (!unwrap(fieldSchema).optional) required.push(field);
  }
  return { properties, required };
}
