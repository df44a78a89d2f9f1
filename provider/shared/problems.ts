// One vocabulary for what is wrong with a resource's inputs: a list of `{ property, reason }`, the shape Pulumi's
// check() failures take. Validation collects every problem and returns the list (it does not throw on the first),
// so a preview names all of them at once. New code reports problems with these; older modules keep theirs until
// they move over.
import type { z } from "zod";

/** One thing wrong with an input: the property (a dotted path, e.g. "copyFrom.source.url") and the fix. */
export interface Problem {
  property: string;
  reason: string;
}

/** Collects problems; `add` reads like the message it records. */
export class Problems {
  readonly list: Problem[] = [];

  add(property: string, reason: string): this {
    this.list.push({ property, reason });
    return this;
  }

  /** Records a reason that reads on its own in the CLI: it starts with the property ("source.size must be ..."). */
  addNamed(property: string, reason: string): this {
    return this.add(property, `${property} ${reason}`);
  }

  addAll(problems: readonly Problem[]): this {
    this.list.push(...problems);
    return this;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/**
 * A zod error as problems: the property is the issue's path under `prefix`, the reason starts with that path so it
 * reads on its own in the CLI ("body.processors must be a list ...").
 */
export function problemsFromZod(error: z.ZodError, prefix = ""): Problem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
    // Unknown keys of the object at `path`: the problem is the first key (the message lists them all).
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const property = keys.length > 0 ? [path, keys[0]].filter((p) => p !== "").join(".") : path;
    return { property, reason: path === "" ? issue.message : `${path} ${issue.message}` };
  });
}

/** All problems in one message (for errors thrown where a list cannot be returned, e.g. create). */
export function problemsMessage(problems: readonly Problem[]): string {
  return problems.map((p) => p.reason).join("; ");
}
