// Date formats whose meaning changes between Elasticsearch 6.x (Joda) and 7.x / OpenSearch (java.time): a mapping
// copied from a 6.x index keeps its `format`, and documents then parse to other dates, or fail, at the destination.
// Pure; table-tested in test/unit/joda.test.ts.

import type { Mapping } from "./mappings";

/** A dynamic template as a mapping lists it: `{ <name>: { match?, mapping } }`. */
type DynamicTemplate = Record<string, { mapping?: Mapping } | undefined> | null;

/** One format to look at again, with the field it is on and the fix. */
export interface FormatWarning {
  field: string;
  format: string;
  reason: string;
}

// The letters that changed meaning (Elasticsearch's 7.0 breaking changes, "Joda-Time to java.time"):
const CHANGED: [RegExp, string][] = [
  [
    /Y/,
    "Y was the year in Joda and is the week-based year in java.time (it differs around New Year): write y (e.g. yyyy-MM-dd)",
  ],
  [
    /w/,
    "w (week of year) follows the locale's week rules in java.time, not ISO weeks as in Joda: check the parsed dates, or index the week as a number of its own",
  ],
  [
    /Z{2}/,
    "ZZ was an offset with a colon (+01:00) in Joda and is one without (+0100) in java.time: write XXX for +01:00",
  ],
];

/** Quoted literals ('T') are not pattern letters. */
const withoutLiterals = (pattern: string) => pattern.replace(/'[^']*'/g, "");

const ONE_WORD_NAMES = new Set(["date", "time", "year", "weekyear", "hour", "minute", "second", "millis"]);

function isBuiltIn(format: string): boolean {
  // Named formats (strict_date_optional_time, epoch_millis, basic_date, year...) mean the same on both sides.
  return (/^[a-z_]+$/.test(format) && format.includes("_")) || ONE_WORD_NAMES.has(format);
}

/** Problems of one `format` value ("a||b" lists several); a "8"-prefixed pattern already uses java.time. */
export function formatProblems(format: string): string[] {
  const out: string[] = [];
  for (const raw of format.split("||")) {
    const f = raw.trim();
    if (f === "" || isBuiltIn(f) || f.startsWith("8")) continue;
    for (const [re, reason] of CHANGED) if (re.test(withoutLiterals(f))) out.push(`"${f}": ${reason}`);
  }
  return out;
}

/** Every date format in `mappings` (properties, objects, nested, multi-fields) that changes meaning after 6.x. */
export function jodaFormatWarnings(mappings: Mapping | undefined, prefix = ""): FormatWarning[] {
  const out: FormatWarning[] = [];
  for (const [name, spec] of Object.entries(mappings?.properties ?? {})) {
    const field = `${prefix}${name}`;
    if (typeof spec?.format === "string")
      for (const reason of formatProblems(spec.format)) out.push({ field, format: spec.format, reason });
    if (spec?.properties !== undefined) out.push(...jodaFormatWarnings(spec, `${field}.`));
    for (const [sub, subSpec] of Object.entries(spec?.fields ?? {})) {
      if (typeof subSpec?.format === "string")
        for (const reason of formatProblems(subSpec.format))
          out.push({ field: `${field}.${sub}`, format: subSpec.format, reason });
    }
  }
  // Dynamic templates can carry formats too.
  const templates = mappings?.dynamic_templates;
  for (const template of Array.isArray(templates) ? (templates as DynamicTemplate[]) : []) {
    for (const [tname, t] of Object.entries(template ?? {})) {
      const format = t?.mapping?.format;
      if (typeof format === "string")
        for (const reason of formatProblems(format))
          out.push({ field: `${prefix}dynamic_templates.${tname}`, format, reason });
    }
  }
  const dates = mappings?.dynamic_date_formats;
  if (Array.isArray(dates))
    for (const f of dates)
      for (const reason of formatProblems(String(f)))
        out.push({ field: `${prefix}dynamic_date_formats`, format: String(f), reason });
  return out;
}
