import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
vi.stubEnv("RPC_URL", "https://eth.example.com/v2/SECRET");
vi.stubEnv("PUBLIC_RPC_URL", "");

const { proxy } = await import("./proxy");

const signedIn = { cookie: "next-auth.session-token=opaque" };

describe("proxy", () => {
  it("gives every page a fresh script nonce, on the response and on the request Next renders", () => {
    const first = proxy(new NextRequest("http://localhost:3000/intents", { headers: signedIn }));
    const second = proxy(new NextRequest("http://localhost:3000/intents", { headers: signedIn }));
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[\w+/=]{16,}' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(second.headers.get("content-security-policy")).not.toBe(policy);
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
  });

  it("lets signed-out visitors' pages reach only this origin; the RPC origin only with a session", () => {
    const signedOut = proxy(new NextRequest("http://localhost:3000/signin"));
    expect(signedOut.headers.get("content-security-policy")).toContain("connect-src 'self';");
    const withSession = proxy(new NextRequest("http://localhost:3000/", { headers: signedIn }));
    expect(withSession.headers.get("content-security-policy")).toContain("connect-src 'self' https://eth.example.com;");
    expect(withSession.headers.get("content-security-policy")).not.toContain("SECRET");
  });

  it("sends signed-out visitors to /signin with a callback that stays on the origin", () => {
    const callbackOf = (url: string) =>
      new URL(proxy(new NextRequest(url)).headers.get("location") ?? "").searchParams.get("callbackUrl");
    expect(callbackOf("http://localhost:3000/intents?x=1")).toBe("/intents?x=1");
    // A path that reads as protocol-relative is not carried along at all.
    expect(callbackOf("http://localhost:3000//evil.example/x")).toBeNull();
    expect(callbackOf("http://localhost:3000/")).toBeNull();
  });
});
