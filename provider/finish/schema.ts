// MigrationFinish's inputs, defined once: each field's type, default and description. The plain inputs the provider
// sees (./types), the Pulumi args users write, the fields check() accepts (./validate) and
// docs/reference/migration-finish.md are derived from it; check() applies the rules with messages that name the fix.
import { z } from "zod";
import type { ArgsOf } from "../shared/define-provider";
import { connectionField, phaseField, settingsField } from "../shared/schema-fields";

/** The like-with-like count a finish compares against. */
const finishVerifySchema = z.object({
  sourceCount: z
    .number()
    .int()
    .describe("What the copy's query matches at the source (`Reindex.verification.sourceCount`)."),
  query: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ defaultText: "every document" })
    .describe("The copy's query, counted here at the destination."),
  extra: z
    .number()
    .int()
    .optional()
    .meta({ defaultText: "0" })
    .describe("Documents the copy knowingly left that the source no longer has (`verification.extraKept`)."),
});

export const migrationFinishInputsSchema = z.object({
  cluster: connectionField.describe("The destination cluster. Stored as a secret (whole object)."),
  index: z.string().describe("The index the data was copied into (usually `DestinationIndex.index`)."),
  finalSettings: settingsField.describe(
    "Dynamic settings to restore once the data is in, usually `DestinationIndex.finalSettings` (replicas and " +
      "refresh interval back from their load values). Nested or flat; `null` resets a setting to the engine default.",
  ),
  alias: z
    .string()
    .optional()
    .meta({ defaultText: "none: no alias is touched" })
    .describe(
      "Move this alias to the index, atomically (one `POST _aliases`): removed from every other index that has " +
        "it, added here, as the write index when it was one before.",
    ),
  refresh: z.boolean().default(true).describe("Refresh the index before counting."),
  verify: finishVerifySchema
    .optional()
    .meta({ defaultText: "counts are reported, not compared" })
    .describe(
      "Compare the index's document count with the source's, like with like: `sourceCount` is what the copy's " +
        "query matches at the source, `query` the same query (counted here at the destination) and `extra` the " +
        "documents the copy knowingly left that the source no longer has. Fewer documents than the source fail " +
        "the finish before any alias moves.",
    ),
  trigger: z
    .unknown()
    .optional()
    .meta({ typeText: "any value", defaultText: "none" })
    .describe(
      "What makes the finish run again: the copy's run identity (e.g. `Reindex.taskIds`, `watermark`, " +
        "`durationSeconds`). Any change re-applies the settings, refreshes, counts and checks the alias.",
    ),
  phase: phaseField.describe(
    '"sync" or "cutover-done": the index is live; the next up records that (in the state and the index\'s ' +
      "mapping `_meta`) and the finish never runs again (no settings restored, no alias moved).",
  ),
});

/** The inputs MigrationFinish takes, in declaration order. */
export const FINISH_FIELDS = Object.keys(migrationFinishInputsSchema.shape) as (keyof MigrationFinishInputs)[];

/** What the provider sees after check: plain values, settings in canonical form, defaults filled in. */
export type MigrationFinishInputs = z.output<typeof migrationFinishInputsSchema>;
/** MigrationFinish's args: every field of the inputs a Pulumi `Input`, the defaulted ones optional. */
export type MigrationFinishArgs = ArgsOf<z.input<typeof migrationFinishInputsSchema>>;
