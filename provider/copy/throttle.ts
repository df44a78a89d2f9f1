// requestsPerSecond for the client transport, as `_reindex` means it: documents per second, spread over the
// writers. Each bulk reserves its share of time on one shared clock and waits until its slot comes. Under
// backpressure (documents rejected with 429 and sent again) the rate is halved, at most every SETTLE_MS and never
// below MIN_RATE, and doubled back toward where it started once bulks go through without rejections.
import { sleep } from "./abort";

/** The slowest the copy is made under backpressure (documents a second). */
export const MIN_RATE = 10;
/** How long between two changes of the rate: a change shows in the rejections only after a bulk or two. */
export const SETTLE_MS = 10_000;

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
  /** The rate now: the declared one, or lower under backpressure; undefined: no limit. */
  private rate: number | undefined;
  private changedAt = Number.NEGATIVE_INFINITY;
  private written = 0;
  private readonly since = Date.now();

  constructor(
    private readonly perSecond: number | undefined,
    /** Told every change of the rate, in words for the progress lines. */
    private readonly onChange?: (message: string) => void,
  ) {
    if (perSecond !== undefined && !(perSecond > 0))
      throw new Error(`copyIndex: requestsPerSecond must be a positive number, got ${perSecond}`);
    this.rate = perSecond;
  }

  async take(docs: number, signal: AbortSignal): Promise<void> {
    this.written += docs;
    if (this.rate === undefined) return;
    const r = reserve(Date.now(), this.nextAt, docs, this.rate);
    this.nextAt = r.nextAt;
    if (r.waitMs > 0) await sleep(r.waitMs, signal);
  }

  /** `rejected` documents were refused with 429 and sent again: the writers slow to half (of what they ran at). */
  pushedBack(rejected: number, now = Date.now()): void {
    if (now - this.changedAt < SETTLE_MS) return;
    const ranAt = this.written / Math.max(1, (now - this.since) / 1000);
    const next = Math.max(MIN_RATE, Math.floor((this.rate ?? Math.max(ranAt, 2 * MIN_RATE)) / 2));
    if (this.rate !== undefined && next >= this.rate) return;
    this.rate = next;
    this.changedAt = now;
    this.onChange?.(
      `slowed the writers to ${next} docs/s (${rejected} document(s) rejected with 429 and sent again): the destination is pushing back, the copy goes on slower instead of failing`,
    );
  }

  /** A bulk went through without rejections: after SETTLE_MS since the last change, the rate doubles back. */
  calm(now = Date.now()): void {
    if (this.rate === undefined || this.rate === this.perSecond || now - this.changedAt < SETTLE_MS) return;
    const doubled = this.rate * 2;
    this.rate = this.perSecond !== undefined && doubled >= this.perSecond ? this.perSecond : doubled;
    this.changedAt = now;
    this.onChange?.(`let the writers faster: ${this.rate} docs/s (no document rejected for ${SETTLE_MS / 1000}s)`);
  }

  /** The rate now, documents a second (undefined: no limit). */
  get perSecondNow(): number | undefined {
    return this.rate;
  }
}
