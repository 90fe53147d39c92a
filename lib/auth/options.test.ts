import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const dataDir = mkdtempSync(path.join(tmpdir(), "auth-options-"));
vi.stubEnv("DATA_DIR", dataDir);
vi.stubEnv("NEXTAUTH_SECRET", "test-secret-for-unit-tests-only");
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

vi.stubEnv("REDIS_URL", "");
vi.stubEnv("TRUST_PROXY", "1");
vi.stubEnv("DEPLOYMENT_FILE", path.join(dataDir, "no-deployment.json"));

const { authOptions } = await import("./options");
const { REFRESH_MARGIN_MS } = await import("./oms-token");
const ADDRESS = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

async function runJwt(token: JWT, user?: { id: string }): Promise<JWT> {
  const jwt = authOptions().callbacks?.jwt;
  if (!jwt) throw new Error("jwt callback missing");
  return jwt({ token, user: user as never, account: null, trigger: user ? "signIn" : "update" });
}

describe("next-auth callbacks", () => {
  it("puts a fresh OMS token for the signed-in address inside the encrypted JWT at sign-in", async () => {
    const token = await runJwt({}, { id: ADDRESS.toUpperCase().replace("0X", "0x") });
    expect(token.sub).toBe(ADDRESS);
    expect(decodeJwt(token.omsToken!).sub).toBe(ADDRESS);
    expect(token.omsTokenExpiresAt! - Date.now()).toBeGreaterThan(REFRESH_MARGIN_MS);
  });

  it("keeps a token with time left and re-issues one that is about to expire", async () => {
    const first = await runJwt({}, { id: ADDRESS });
    const kept = await runJwt({ ...first });
    expect(kept.omsToken).toBe(first.omsToken);
    const aging = await runJwt({ ...first, omsTokenExpiresAt: Date.now() + REFRESH_MARGIN_MS - 1000 });
    expect(aging.omsToken).not.toBe(first.omsToken);
    expect(aging.omsTokenExpiresAt! - Date.now()).toBeGreaterThan(REFRESH_MARGIN_MS);
  });

  it("never copies the OMS token into the session the browser sees", async () => {
    const token = await runJwt({}, { id: ADDRESS });
    const session = authOptions().callbacks?.session;
    if (!session) throw new Error("session callback missing");
    const visible = (await session({
      session: { expires: "2099-01-01T00:00:00.000Z" } as Session,
      token,
      user: undefined as never,
      newSession: undefined,
      trigger: "update",
    })) as Session;
    expect(visible).toEqual({ expires: "2099-01-01T00:00:00.000Z", address: ADDRESS });
    expect(JSON.stringify(visible)).not.toContain(token.omsToken!);
  });

  it("redirects only within the dashboard's origin", async () => {
    const redirect = authOptions().callbacks?.redirect;
    if (!redirect) throw new Error("redirect callback missing");
    const baseUrl = "http://localhost:3000";
    expect(await redirect({ url: "/\t/evil.example/x", baseUrl })).toBe("http://localhost:3000/");
    expect(await redirect({ url: "https://evil.example/x", baseUrl })).toBe("http://localhost:3000/");
    expect(await redirect({ url: "/intents?x=1", baseUrl })).toBe("http://localhost:3000/intents?x=1");
  });

  it("refuses credential sign-ins over the per-IP and per-address budgets with the wait in the code", async () => {
    type Authorize = (
      credentials: Record<string, string>,
      req: { headers: Record<string, string> },
    ) => Promise<unknown>;
    const provider = authOptions().providers[0] as unknown as { options: { authorize: Authorize } };
    const attempt = (ip: string, message: string) =>
      provider.options
        .authorize({ message, signature: `0x${"11".repeat(65)}` }, { headers: { "x-forwarded-for": ip } })
        .then(
          () => "signed in",
          (error: Error) => error.message,
        );
    const fromOneIp: string[] = [];
    for (let i = 0; i < 61; i++) fromOneIp.push(await attempt("10.9.0.1", "not siwe"));
    expect(fromOneIp.slice(0, 60).every((result) => !result.startsWith("RATE_LIMITED"))).toBe(true);
    expect(fromOneIp[60]).toMatch(/^RATE_LIMITED:\d+$/);

    const message = `localhost:3000 wants you to sign in with your Ethereum account:\n${ADDRESS}\n\n\nURI: http://localhost:3000\nVersion: 1\nChain ID: 31337\nNonce: abcdef0123456789\nIssued At: ${new Date().toISOString()}`;
    const oneAddress: string[] = [];
    for (let i = 0; i < 21; i++) oneAddress.push(await attempt(`10.9.1.${i}`, message));
    expect(oneAddress.slice(0, 20).every((result) => !result.startsWith("RATE_LIMITED"))).toBe(true);
    expect(oneAddress[20]).toMatch(/^RATE_LIMITED:\d+$/);
  });
});
