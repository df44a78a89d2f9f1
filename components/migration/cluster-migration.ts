// ClusterMigration: every open, non-system index of a source cluster migrated, at most `concurrency` copying at
// once. The index list is read when the program runs (preview and up), so the preview shows each IndexMigration.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "../../provider/connection/types";
import type { SourceIndexList } from "../../provider/indices";
import { IndexMigration } from "./index-migration";
import { listForMigration } from "./list";
import { assertNoProblems, clusterMigrationProblems, describePlan, planClusterMigration } from "./plan";
import type { ClusterMigrationArgs, ClusterMigrationSummary, IndexMigrationSummary, SkippedIndex } from "./types";

function totalsOf(rows: IndexMigrationSummary[]): ClusterMigrationSummary["totals"] {
  const sum = (f: (r: IndexMigrationSummary) => number) => rows.reduce((s, r) => s + f(r), 0);
  return {
    indices: rows.length,
    sourceCount: sum((r) => r.sourceCount ?? 0),
    destCount: sum((r) => r.destCount),
    created: sum((r) => r.created),
    updated: sum((r) => r.updated),
    verified: rows.every((r) => r.verified),
  };
}

/**
 * Migrates a whole source cluster: lists its open indices (system `.` indices and closed ones are skipped and
 * reported), and declares one IndexMigration per index (`<name>-<index>`), with `defaults` and per-index `overrides`.
 * Lanes: the migration of the k-th index (by name) waits for the finish of index k - concurrency, so at most
 * `concurrency` indices copy at once during `pulumi up` (preview declares them all without waiting).
 */
export class ClusterMigration extends pulumi.ComponentResource {
  /** Names of the source indices migrated. */
  readonly indices: pulumi.Output<string[]>;
  /** Source indices left out, with the reason ("system" or "closed"). */
  readonly skipped: pulumi.Output<SkippedIndex[]>;
  /** One row per index, and totals. */
  readonly summary: pulumi.Output<ClusterMigrationSummary>;
  /** The IndexMigrations declared, by source index name (resolves once the list was read). */
  readonly migrations: Promise<Record<string, IndexMigration>>;

  constructor(name: string, args: ClusterMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("es-migrate:index:ClusterMigration", name, {}, opts);
    assertNoProblems(`ClusterMigration "${name}"`, clusterMigrationProblems(args));
    const component = `ClusterMigration "${name}"`;

    // The list derives from the (secret) source connection; index names and counts are not secret.
    const listing = pulumi.unsecret(
      (pulumi.output(args.source) as pulumi.Output<ClusterConnection>).apply((conn) => listForMigration(conn, { include: args.include ?? ["*"], exclude: args.exclude }, component)),
    );
    // Output.isKnown is the SDK's own (not in its typings): false during a preview where the source is still unknown.
    void ((pulumi.output(args.source) as unknown as { isKnown: Promise<boolean> }).isKnown).then((isKnown) => {
      if (!isKnown) pulumi.log.info(`${component}: the source's address is not known yet; its indices are listed (and declared) during pulumi up`, this);
    });

    let resolveMigrations: (m: Record<string, IndexMigration>) => void = () => undefined;
    this.migrations = new Promise((resolve) => (resolveMigrations = resolve));
    const declared = listing.apply((list) => {
      const migrations = this.declareMigrations(name, args, list);
      resolveMigrations(migrations);
      return Object.values(migrations);
    });

    this.indices = listing.apply((l) => l.indices.map((i) => i.name));
    this.skipped = listing.apply((l) => [
      ...l.skippedSystem.map((index) => ({ index, reason: "system" as const })),
      ...l.skippedClosed.map((index) => ({ index, reason: "closed" as const })),
    ]);
    this.summary = declared.apply((ms) => pulumi.all(ms.map((m) => m.summary)).apply((rows) => ({ rows, totals: totalsOf(rows) })));
    this.registerOutputs({ indices: this.indices, skipped: this.skipped, summary: this.summary });
  }

  private declareMigrations(name: string, args: ClusterMigrationArgs, list: SourceIndexList): Record<string, IndexMigration> {
    const plan = planClusterMigration(list, args);
    pulumi.log.info(describePlan(name, plan), this);
    if (plan.unusedOverrides.length > 0) {
      pulumi.log.warn(`ClusterMigration "${name}": overrides for ${plan.unusedOverrides.join(", ")} match no open index of the source (included by include/exclude): they are not used`, this);
    }
    // Lanes order the copies during up; a preview runs nothing, so it declares every index without waiting.
    const lanes = !pulumi.runtime.isDryRun();
    const out: Record<string, IndexMigration> = {};
    const ordered: IndexMigration[] = [];
    for (const p of plan.indices) {
      const after = lanes && p.after !== undefined ? [ordered[p.after].finish] : undefined;
      const m = new IndexMigration(
        `${name}-${p.index}`,
        { ...p.options, source: args.source, sourceRemote: args.sourceRemote, destination: args.destination, index: p.index },
        { parent: this, dependsOn: after },
      );
      ordered.push(m);
      out[p.index] = m;
    }
    return out;
  }
}
