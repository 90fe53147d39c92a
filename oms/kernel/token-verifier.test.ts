import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "./errors";
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER, type TestIssuer } from "./test-support/tokens";
import { createTokenVerifier } from "./token-verifier";

const jwt = (overrides: Partial<{ jwksUrl: string; publicKeyFile: string }>) => ({
  jwksUrl: "http://127.0.0.1:9/unused",
  publicKeyFile: undefined,
  issuer: TEST_ISSUER,
  audience: TEST_AUDIENCE,
  ...overrides,
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  return error instanceof DomainError ? `${error.status} ${error.code}` : `not a DomainError: ${String(error)}`;
}

describe("JWKS URL", () => {
  let issuer: TestIssuer;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    issuer = await createTestIssuer();
    server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [issuer.publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("verifies tokens against the fetched key set", async () => {
    const verifier = createTokenVerifier(jwt({ jwksUrl: url }));
    const claims = await verifier.verify(await issuer.sign({ sub: "0xabc" }));
    expect(claims.sub).toBe("0xabc");
  });

  it("an unreachable key set is 503 UPSTREAM_UNAVAILABLE, not the caller's 401", async () => {
    const verifier = createTokenVerifier(jwt({ jwksUrl: "http://127.0.0.1:9/jwks" }));
    expect(await codeOf(verifier.verify(await issuer.sign({ sub: "0xabc" })))).toBe("503 UPSTREAM_UNAVAILABLE");
  });
});

describe("public key file", () => {
  it("accepts a PEM (RS256) and a JWK file (ES256)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "oms-keys-"));
    const rsa = await generateKeyPair("RS256", { extractable: true });
    const pemFile = path.join(dir, "key.pem");
    writeFileSync(pemFile, await exportSPKI(rsa.publicKey));
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256" })
      .setSubject("0xdef")
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime("5m")
      .sign(rsa.privateKey);
    expect((await createTokenVerifier(jwt({ publicKeyFile: pemFile })).verify(token)).sub).toBe("0xdef");

    const issuer = await createTestIssuer();
    const jwkFile = path.join(dir, "key.jwk.json");
    writeFileSync(jwkFile, JSON.stringify(issuer.publicJwk));
    const verifier = createTokenVerifier(jwt({ publicKeyFile: jwkFile }));
    expect((await verifier.verify(await issuer.sign({ sub: "0x123" }))).sub).toBe("0x123");
    // The RS256 token does not verify against the ES256 key: invalid, whatever its claims say.
    expect(await codeOf(verifier.verify(token))).toBe("401 TOKEN_INVALID");
  });

  it("refuses alg none", async () => {
    const issuer = await createTestIssuer();
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const body = Buffer.from(
      JSON.stringify({ sub: "0x1", iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString("base64url");
    expect(await codeOf(issuer.verifier.verify(`${header}.${body}.`))).toBe("401 TOKEN_INVALID");
  });
});
