// When to try a request again and how long to wait: pure functions, so the policy is tested without clocks.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff before the first retry; it doubles per retry. */
  baseDelayMs: number;
  /** Cap of one backoff wait. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the request fails at once and says so. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** What one attempt ended with. */
export type AttemptOutcome =
  { kind: "status"; status: number; retryAfter?: string } | { kind: "network"; type: string };

// Statuses after which the cluster surely did nothing: safe to resend even a POST.
const REJECTED_UNDONE = [429, 503];
const TRANSIENT_STATUSES = [429, 502, 503, 504];
// Network failures that may come from a restart or an overloaded proxy. TLS and DNS errors are not transient.
const TRANSIENT_NETWORK = ["connection_refused", "connection_reset", "timeout"];

/** Whether the outcome is worth another attempt. Non-idempotent requests only after a sure "not done". */
export function isRetryable(outcome: AttemptOutcome, idempotent: boolean): boolean {
  if (outcome.kind === "status") return (idempotent ? TRANSIENT_STATUSES : REJECTED_UNDONE).includes(outcome.status);
  return idempotent ? TRANSIENT_NETWORK.includes(outcome.type) : outcome.type === "connection_refused";
}

/** Retry-After (delta-seconds or HTTP date) in milliseconds, or undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header.trim()) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with equal jitter: between half and all of min(cap, base * 2^(retry-1)). */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * How long to wait before attempt `attempt + 1`, or why not to retry.
 * The server's Retry-After wins over a shorter backoff.
 */
export function nextDelay(
  attempt: number,
  outcome: AttemptOutcome,
  idempotent: boolean,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): { retry: true; delayMs: number } | { retry: false; why?: string } {
  if (!isRetryable(outcome, idempotent)) return { retry: false };
  if (attempt >= policy.maxAttempts) return { retry: false, why: `gave up after ${attempt} attempts` };
  const backoff = backoffMs(attempt, policy, random);
  const retryAfter = outcome.kind === "status" ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) {
    return {
      retry: false,
      why: `the cluster asked to retry after ${Math.round(retryAfter / 1000)}s, longer than the ${Math.round(policy.maxRetryAfterMs / 1000)}s this client waits`,
    };
  }
  return { retry: true, delayMs: Math.max(backoff, retryAfter ?? 0) };
}
