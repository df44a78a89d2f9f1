// requestsPerSecond for the client transport, as `_reindex` means it: documents per second, spread over the
// writers. Each bulk reserves its share of time on one shared clock and waits until its slot comes.
import { sleep } from "./abort";

/** The wait before a bulk of `docs` documents and where the clock stands after it. Pure. */
export function reserve(
  now: number,
  nextAt: number,
  docs: number,
  perSecond: number,
): { waitMs: number; nextAt: number } {
  const start = Math.max(now, nextAt);
  return { waitMs: start - now, nextAt: start + (docs / perSecond) * 1000 };
}

export class Throttle {
  private nextAt = 0;

  constructor(private readonly perSecond: number | undefined) {
    if (perSecond !== undefined && !(perSecond > 0))
      throw new Error(`copyIndex: requestsPerSecond must be a positive number, got ${perSecond}`);
  }

  async take(docs: number, signal: AbortSignal): Promise<void> {
    if (this.perSecond === undefined) return;
    const r = reserve(Date.now(), this.nextAt, docs, this.perSecond);
    this.nextAt = r.nextAt;
    if (r.waitMs > 0) await sleep(r.waitMs, signal);
  }
}
