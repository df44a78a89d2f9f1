// Checks a cutover's options before anything is read or blocked; every problem names the field and the fix.
import { parseConnection } from "../provider/connection/schema";
import type { ClusterConnection } from "../provider/connection/types";
import { indexNameProblems } from "../provider/shared/index-names";
import { VERIFY_LEVELS, type VerifyLevel } from "../provider/verify";
import type { CutoverIndex, CutoverOptions } from "./types";

/** Invalid cutover options: nothing was read, blocked or moved. `problems` lists each one. */
export class CutoverConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`cutover options are invalid (nothing was blocked or moved):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CutoverConfigError";
  }
}

export interface ValidCutover {
  source: ClusterConnection;
  destination: ClusterConnection;
  indices: CutoverIndex[];
  verify: VerifyLevel;
  catchUp: boolean;
  maxCatchUps: number;
  smallDelta: number;
  maxFinalDelta?: number;
  keepSourceBlocked: boolean;
}

function connectionProblems(input: unknown, field: string): { connection?: ClusterConnection; problems: string[] } {
  try {
    return { connection: parseConnection(input, field), problems: [] };
  } catch (e) {
    const problems = (e as { problems?: { message: string }[] }).problems;
    return { problems: problems?.map((p) => p.message) ?? [String((e as Error).message)] };
  }
}

/** The options normalized, or a CutoverConfigError listing every problem. */
export function validateCutover(opts: Omit<CutoverOptions, "stack"> & { stack?: unknown }): ValidCutover {
  const problems: string[] = [];
  if (opts.stack === undefined || typeof (opts.stack as { up?: unknown }).up !== "function") {
    problems.push(
      "stack must be an Automation API Stack (LocalWorkspace.createOrSelectStack(...) from @pulumi/pulumi/automation)",
    );
  }
  const source = connectionProblems(opts.source, "source");
  const destination = connectionProblems(opts.destination, "destination");
  problems.push(...source.problems, ...destination.problems);

  const indices = Array.isArray(opts.indices) ? opts.indices : [];
  if (indices.length === 0) problems.push("indices must list at least one { sourceIndex, destIndex, alias? }");
  const seen = { sourceIndex: new Map<string, number>(), destIndex: new Map<string, number>() };
  indices.forEach((entry, i) => {
    const at = `indices[${i}]`;
    if (entry === null || typeof entry !== "object")
      return problems.push(`${at} must be an object { sourceIndex, destIndex, alias? }`);
    for (const key of ["sourceIndex", "destIndex"] as const) {
      const name = entry[key];
      if (typeof name !== "string") {
        problems.push(`${at}.${key} is required: the ${key === "sourceIndex" ? "source" : "destination"} index name`);
        continue;
      }
      problems.push(...indexNameProblems(name, `${at}.${key}`));
      const earlier = seen[key].get(name);
      if (earlier !== undefined)
        problems.push(`${at}.${key} "${name}" is also indices[${earlier}].${key}: list each index once`);
      seen[key].set(name, i);
    }
    if (entry.alias !== undefined) {
      if (typeof entry.alias !== "string")
        problems.push(`${at}.alias must be a string: the alias to move to ${entry.destIndex}`);
      else {
        problems.push(...indexNameProblems(entry.alias, `${at}.alias`));
        if (entry.alias === entry.destIndex)
          problems.push(
            `${at}.alias "${entry.alias}" is the destination index's own name: an alias needs a name of its own`,
          );
      }
    }
    if (
      entry.query !== undefined &&
      (entry.query === null || typeof entry.query !== "object" || Array.isArray(entry.query))
    ) {
      problems.push(`${at}.query must be a query object, e.g. { term: { tenant: "blue" } }`);
    }
  });
  const aliases = indices.map((e) => e?.alias).filter((a): a is string => typeof a === "string");
  for (const alias of new Set(aliases)) {
    if (aliases.filter((a) => a === alias).length > 1)
      problems.push(`alias "${alias}" is given for several indices: one alias points at one index after a cutover`);
  }

  const verify = opts.verify ?? "ids";
  if (!VERIFY_LEVELS.includes(verify))
    problems.push(
      `verify must be one of ${VERIFY_LEVELS.map((l) => `"${l}"`).join(", ")}, got ${JSON.stringify(verify)}`,
    );
  for (const key of ["catchUp", "keepSourceBlocked"] as const) {
    if (opts[key] !== undefined && typeof opts[key] !== "boolean") problems.push(`${key} must be true or false`);
  }

  if (opts.maxCatchUps !== undefined && !(Number.isInteger(opts.maxCatchUps) && opts.maxCatchUps >= 1))
    problems.push(`maxCatchUps must be a whole number of at least 1, got ${JSON.stringify(opts.maxCatchUps)}`);
  for (const key of ["smallDelta", "maxFinalDelta"] as const) {
    const value = opts[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0))
      problems.push(`${key} must be a whole number of documents (0 or more), got ${JSON.stringify(value)}`);
  }

  if (problems.length > 0) throw new CutoverConfigError(problems);
  return {
    source: source.connection!,
    destination: destination.connection!,
    indices,
    verify,
    catchUp: opts.catchUp ?? true,
    maxCatchUps: opts.maxCatchUps ?? 3,
    smallDelta: opts.smallDelta ?? 1000,
    maxFinalDelta: opts.maxFinalDelta,
    keepSourceBlocked: opts.keepSourceBlocked ?? true,
  };
}
