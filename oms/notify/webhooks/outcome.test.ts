import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_SCHEDULE_MS, type RetryPolicy, retryDelayMs } from "./outcome";
import { generateSecret, openSecret, sealSecret, signedHeaders } from "./secret";
import { sanitizeExcerpt } from "./sender";

const policy: RetryPolicy = {
  retryScheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
  jitter: 0.2,
  disableAfterFailures: 20,
  disableAfterMs: 86_400_000,
};

describe("webhook delivery rules", () => {
  it("backs off along the schedule within ±20 % and gives up after it", () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(4_000);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(6_000);
    expect(retryDelayMs(policy, 4, () => 0.5)).toBe(600_000);
    expect(retryDelayMs(policy, DEFAULT_RETRY_SCHEDULE_MS.length, () => 0.5)).toBe(28_800_000);
    expect(retryDelayMs(policy, DEFAULT_RETRY_SCHEDULE_MS.length + 1)).toBeNull();
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((sum, wait) => sum + wait, 0);
    expect(total / 3_600_000).toBeGreaterThan(23);
  });

  it("keeps a response excerpt printable and bounded", () => {
    const excerpt = sanitizeExcerpt(Buffer.from(`ok\u0000\u001b[31mred\u0007 ${"x".repeat(5_000)}`));
    expect(excerpt.startsWith("ok  [31mred ")).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(1_024);
  });

  it("signs so the package's verifier accepts, and seals the secret to its endpoint", () => {
    const secret = generateSecret();
    const body = '{"type":"webhook.test"}';
    const headers = signedHeaders(secret, "msg_1", new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: "webhook.test" });
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
    const key = new Uint8Array(32).fill(1);
    const sealed = sealSecret(key, "wh_a", secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(key, "wh_a", sealed)).toBe(secret);
    expect(() => openSecret(key, "wh_b", sealed)).toThrow(/cannot open the secret of webhook wh_b/);
  });
});
