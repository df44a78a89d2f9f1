// One progress line for people watching `pulumi up`: documents copied, rate, estimated time left. Pure.

export interface Progress {
  /** Documents handled so far (created + updated + deleted + conflicts + noops). */
  done: number;
  /** Documents the task(s) will handle; 0 until the engine knows. */
  total: number;
  elapsedSeconds: number;
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** "reindex into logs-v2: 120,000 / 1,000,000 documents (12%), 8,000 docs/s, about 1m50s left" */
export function progressLine(what: string, p: Progress): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const rate = p.elapsedSeconds > 0 ? p.done / p.elapsedSeconds : 0;
  const parts = [`${what}: ${n(p.done)}${p.total > 0 ? ` / ${n(p.total)}` : ""} documents`];
  if (p.total > 0) parts[0] += ` (${Math.floor((100 * p.done) / p.total)}%)`;
  parts.push(`${n(Math.round(rate))} docs/s`);
  if (p.total > 0 && rate > 0 && p.done < p.total) parts.push(`about ${duration((p.total - p.done) / rate)} left`);
  return parts.join(", ");
}
