import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const session = vi.hoisted(() => ({ current: { address: "0xabc", omsToken: "t.t.t" } }));
vi.mock("./session", () => ({ readSession: async () => session.current }));
vi.mock("@/lib/auth/server-config", () => ({ nextAuthUrl: () => new URL("http://localhost:3000") }));
vi.hoisted(() => {
  process.env.BFF_RATE_LIMIT_PER_MIN = "5";
});

const { jsonResponse, withSession } = await import("./handler");

const me = withSession({ schema: {} }, async ({ session: s }) => jsonResponse({ address: s.address }));
const call = () => me(new NextRequest("http://localhost:3000/api/me"), { params: Promise.resolve({}) });

describe("per-user request budget", () => {
  it("answers 429 RATE_LIMITED with Retry-After once a wallet spends its minute, and not for another wallet", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    for (let i = 0; i < 5; i += 1) expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string; details: { limit: number } } };
    expect(body.error).toMatchObject({ code: "RATE_LIMITED", details: { limit: 5 } });
    session.current = { address: "0xdef", omsToken: "t.t.t" };
    expect((await call()).status).toBe(200);
  });
});
