import { describe, expect, it } from "vitest";
import { withRateLimitStatus } from "./credentials-response";

const json = (url: string, status = 200) => Response.json({ url }, { status });

describe("withRateLimitStatus", () => {
  it("turns next-auth's rate-limited JSON answer into a 429 with Retry-After, body unchanged", async () => {
    const response = await withRateLimitStatus(json("http://localhost:3000/signin?error=RATE_LIMITED%3A42"));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
    expect(await response.json()).toEqual({ url: "http://localhost:3000/signin?error=RATE_LIMITED%3A42" });
  });

  it("leaves other refusals and successes alone", async () => {
    const refused = json("http://localhost:3000/signin?error=MALFORMED", 401);
    expect(await withRateLimitStatus(refused)).toBe(refused);
    const ok = json("http://localhost:3000/");
    expect(await withRateLimitStatus(ok)).toBe(ok);
  });

  it("keeps a browser form post's redirect, adding Retry-After", async () => {
    const redirect = new Response(null, {
      status: 302,
      headers: { location: "http://localhost:3000/signin?error=RATE_LIMITED%3A7" },
    });
    const response = await withRateLimitStatus(redirect);
    expect(response.status).toBe(302);
    expect(response.headers.get("retry-after")).toBe("7");
  });
});
