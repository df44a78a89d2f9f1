import { describe, expect, it } from "vitest";
import {
  backoffMs,
  isRetryable,
  nextDelay,
  parseRetryAfter,
  type AttemptOutcome,
  type RetryPolicy,
} from "../../provider/connection/retry";

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 30_000 };
const status = (s: number, retryAfter?: string): AttemptOutcome => ({ kind: "status", status: s, retryAfter });
const network = (type: string): AttemptOutcome => ({ kind: "network", type });

describe("retry policy", () => {
  it.each([
    [status(429), true, true],
    [status(502), true, true],
    [status(503), true, true],
    [status(504), true, true],
    [status(400), true, false],
    [status(401), true, false],
    [status(403), true, false],
    [status(404), true, false],
    [status(409), true, false],
    [status(500), true, false],
    [network("connection_refused"), true, true],
    [network("connection_reset"), true, true],
    [network("timeout"), true, true],
    [network("tls"), true, false],
    [network("dns"), true, false],
    // A POST is resent only when the cluster surely did not act on it.
    [status(429), false, true],
    [status(503), false, true],
    [status(502), false, false],
    [status(504), false, false],
    [network("connection_refused"), false, true],
    [network("connection_reset"), false, false],
    [network("timeout"), false, false],
  ])("%j (idempotent %s) retryable: %s", (outcome, idempotent, expected) => {
    expect(isRetryable(outcome, idempotent)).toBe(expected);
  });

  it("backs off exponentially with jitter, capped", () => {
    expect(backoffMs(1, policy, () => 0)).toBe(50);
    expect(backoffMs(1, policy, () => 1)).toBe(100);
    expect(backoffMs(3, policy, () => 1)).toBe(400);
    expect(backoffMs(3, policy, () => 0)).toBe(200);
    expect(backoffMs(10, policy, () => 1)).toBe(1000);
    const draws = new Set(Array.from({ length: 20 }, () => backoffMs(2, policy)));
    expect(draws.size).toBeGreaterThan(1);
  });

  it("reads Retry-After in seconds and as an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("waits at least what Retry-After asks", () => {
    expect(nextDelay(1, status(429, "3"), true, policy, () => 0)).toEqual({ retry: true, delayMs: 3000 });
    expect(nextDelay(1, status(429), true, policy, () => 0)).toEqual({ retry: true, delayMs: 50 });
  });

  it("gives up after maxAttempts, and at once when Retry-After is too long", () => {
    expect(nextDelay(5, status(503), true, policy)).toEqual({ retry: false, why: "gave up after 5 attempts" });
    const far = nextDelay(1, status(429, "120"), true, policy);
    expect(far.retry).toBe(false);
    expect((far as { why: string }).why).toContain("retry after 120s");
    expect(nextDelay(1, status(400), true, policy)).toEqual({ retry: false });
  });
});
