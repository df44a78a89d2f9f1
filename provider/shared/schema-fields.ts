// Fields several resources' input schemas share, each described where it is used (scripts/reference.ts renders
// them; ./define-provider's ArgsOf derives the Pulumi args from them).
import { z } from "zod";
import type { ClusterConnection } from "../connection/types";
import type { FlatSettings } from "../settings/normalize";
import { PHASES } from "./live-destination";

/** A cluster connection, validated by the connection layer (../connection/schema). */
export const connectionField = z.custom<ClusterConnection>().meta({ typeText: "[connection](../connection.md)" });

/** Index settings as a program writes them (nested or flat); check puts them in the canonical flat form. */
export const settingsField = z.record(z.string(), z.unknown()).pipe(z.custom<FlatSettings>());

/** Where the migration is: "sync", or "cutover-done" once the destination is live (./live-destination). */
export const phaseField = z.enum(PHASES).optional().meta({ defaultText: '"sync"' });
