import { describe, expect, it } from "vitest";
import { connectSource, pageContentSecurityPolicy } from "./csp";

const directives = (policy: string) =>
  Object.fromEntries(policy.split("; ").map((directive) => [directive.split(" ")[0], directive]));

describe("page Content-Security-Policy", () => {
  it("runs only this request's scripts, is never framed and allows the chain's origin", () => {
    const policy = directives(
      pageContentSecurityPolicy({ nonce: "abc123", isDev: false, connectSources: ["http://127.0.0.1:8545"] }),
    );
    expect(policy["script-src"]).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy["frame-ancestors"]).toBe("frame-ancestors 'none'");
    expect(policy["connect-src"]).toBe("connect-src 'self' http://127.0.0.1:8545");
    expect(policy["object-src"]).toBe("object-src 'none'");
    expect(JSON.stringify(policy)).not.toContain("unsafe-eval");
  });

  it("allows eval only on the dev server", () => {
    expect(pageContentSecurityPolicy({ nonce: "n", isDev: true, connectSources: [] })).toContain("'unsafe-eval'");
  });

  it("names only an origin for the chain, never a path that could hold a provider key", () => {
    expect(connectSource("https://eth.example.com/v2/SECRETKEY")).toBe("https://eth.example.com");
    expect(connectSource("javascript:alert(1)")).toBeNull();
    expect(connectSource(undefined)).toBeNull();
  });
});
