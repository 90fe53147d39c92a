import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, fetchJson } from "./fetcher";
import { createAppQueryClient } from "./provider";

afterEach(() => vi.unstubAllGlobals());

const refusal = (status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code: "RATE_LIMITED", message: "Too many requests." } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

describe("a refusal that names its wait", () => {
  it("carries Retry-After on the error the page sees", async () => {
    vi.stubGlobal("fetch", async () => refusal(429, { "retry-after": "7" }));
    const error = await fetchJson<unknown>("/api/oms/vaults").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: "RATE_LIMITED", retryAfterSeconds: 7 });
  });

  it("is retried after that wait (capped at a minute), other failures with a short backoff", () => {
    const retryDelay = createAppQueryClient().getDefaultOptions().queries?.retryDelay;
    if (typeof retryDelay !== "function") throw new Error("the app client sets a retryDelay function");
    expect(retryDelay(0, new ApiError(429, "RATE_LIMITED", "wait", 7))).toBe(7_000);
    expect(retryDelay(0, new ApiError(429, "RATE_LIMITED", "wait", 3_600))).toBe(60_000);
    expect(retryDelay(0, new ApiError(502, "UPSTREAM_UNAVAILABLE", "down"))).toBe(1_000);
  });
});
