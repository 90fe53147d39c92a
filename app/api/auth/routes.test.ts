import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const dataDir = mkdtempSync(path.join(tmpdir(), "auth-routes-"));
vi.stubEnv("DATA_DIR", dataDir);
vi.stubEnv("NEXTAUTH_SECRET", "test-secret-for-unit-tests-only");
vi.stubEnv("TRUST_PROXY", "1");
vi.stubEnv("REDIS_URL", "");
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

const nextAuthRoute = await import("./[...nextauth]/route");
const nonceRoute = await import("./nonce/route");
const tokenRoute = await import("./token/route");
const { sharedNonceStore } = await import("@/lib/auth/shared-nonce-store");

const MB = 1024 * 1024;

/** A POST whose body is produced on demand; `pulled()` tells how much of it the handler read. */
function hugePost(url: string, bytes: number, headers: Record<string, string> = {}) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= bytes) return controller.close();
      pulled += 16 * 1024;
      controller.enqueue(new TextEncoder().encode("message=".padEnd(16 * 1024, "URI: ")));
    },
  });
  const request = new NextRequest(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    duplex: "half",
  } as ConstructorParameters<typeof NextRequest>[1]);
  return { request, pulled: () => pulled };
}

const nonceFrom = (ip: string) =>
  nonceRoute.POST(
    new Request("http://localhost/api/auth/nonce", { method: "POST", headers: { "x-forwarded-for": ip } }),
  );

describe("POST /api/auth/callback/credentials (next-auth)", () => {
  const context = { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) };

  it("answers 413 PAYLOAD_TOO_LARGE to a declared oversized body without reading it", async () => {
    const { request, pulled } = hugePost("http://localhost/api/auth/callback/credentials", 8 * MB, {
      "content-length": String(8 * MB),
    });
    const response = await nextAuthRoute.POST(request, context);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(pulled()).toBeLessThanOrEqual(16 * 1024);
  });

  it("stops reading a chunked oversized body at the bound", async () => {
    const { request, pulled } = hugePost("http://localhost/api/auth/callback/credentials", 8 * MB);
    const response = await nextAuthRoute.POST(request, context);
    expect(response.status).toBe(413);
    expect(pulled()).toBeLessThan(64 * 1024);
  });
});

describe("POST /api/auth/token", () => {
  it("answers 413 to an oversized body and 400 to a message over the SIWE bound", async () => {
    const { request, pulled } = hugePost("http://localhost/api/auth/token", 8 * MB, { "x-forwarded-for": "10.1.0.1" });
    const tooLarge = await tokenRoute.POST(request);
    expect(tooLarge.status).toBe(413);
    expect(pulled()).toBeLessThan(64 * 1024);
    const long = await tokenRoute.POST(
      new Request("http://localhost/api/auth/token", {
        method: "POST",
        headers: { "x-forwarded-for": "10.1.0.1" },
        body: JSON.stringify({ message: "URI: ".repeat(2_000), signature: "0x00" }),
      }),
    );
    expect(long.status).toBe(400);
  });

  it("rate-limits one IP with 429, Retry-After and RATE_LIMITED; another IP is unaffected", async () => {
    const attempt = (ip: string) =>
      tokenRoute.POST(
        new Request("http://localhost/api/auth/token", {
          method: "POST",
          headers: { "x-forwarded-for": ip },
          body: "{}",
        }),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await attempt("10.2.0.1")).status);
    expect(statuses.slice(0, 60).every((status) => status === 400)).toBe(true);
    const refused = await attempt("10.2.0.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string; details: Record<string, number> } };
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.details).toMatchObject({ limit: 60 });
    expect((await attempt("10.2.0.2")).status).toBe(400);
  });
});

describe("POST /api/auth/nonce", () => {
  it("limits nonces per IP per minute", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 65; i++) statuses.push((await nonceFrom("203.0.113.7")).status);
    expect(statuses.slice(0, 60).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(60).every((status) => status === 429)).toBe(true);
  });
  it("a flood from other addresses fills the store but never invalidates an issued nonce", async () => {
    const honest = (await (await nonceFrom("192.0.2.10")).json()) as { nonce: string };
    let refused = 0;
    for (let i = 0; i < 10_100; i++) {
      const response = await nonceFrom(`198.51.${Math.floor(i / 50) % 256}.${i % 50}`);
      if (response.status === 429) refused++;
    }
    expect(refused).toBeGreaterThan(0);
    const full = await nonceFrom("192.0.2.11");
    expect(full.status).toBe(429);
    expect((await full.json()).error.code).toBe("RATE_LIMITED");
    expect(await sharedNonceStore().consume(honest.nonce)).toBe(true);
  });
});
