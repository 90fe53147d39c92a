import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { ensureIssuerKey, issueOmsToken, publicJwks } from "./issuer";

const dataDir = mkdtempSync(path.join(tmpdir(), "issuer-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("OMS token issuer", () => {
  it("issues ES256 tokens with kid, iss, aud and a lower-cased subject that verify against the JWKS", async () => {
    const { token, expiresAt } = await issueOmsToken({
      subject: "0xABCDEF0000000000000000000000000000000001",
      dataDir,
    });
    const jwks = createLocalJWKSet(await publicJwks(dataDir));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: "defix-console",
      audience: "defix-oms",
    });
    expect(protectedHeader.alg).toBe("ES256");
    expect(protectedHeader.kid).toBe((await ensureIssuerKey(dataDir)).kid);
    expect(payload.sub).toBe("0xabcdef0000000000000000000000000000000001");
    expect(payload.exp).toBe(Math.floor(expiresAt.getTime() / 1000));
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it("writes the public JWK without the private part and keeps the key across loads", async () => {
    const key = await ensureIssuerKey(dataDir);
    const onDisk = JSON.parse(readFileSync(key.publicKeyPath, "utf8")) as Record<string, unknown>;
    expect(onDisk.d).toBeUndefined();
    expect(onDisk.kid).toBe(key.kid);
    const privateOnDisk = JSON.parse(readFileSync(key.privateKeyPath!, "utf8")) as Record<string, unknown>;
    expect(typeof privateOnDisk.d).toBe("string");
  });

  it("refuses a token from another key", async () => {
    const otherDir = mkdtempSync(path.join(tmpdir(), "issuer-other-"));
    try {
      const { token } = await issueOmsToken({ subject: "svc:x", dataDir: otherDir, claims: { svc_vaults: ["1:0x"] } });
      expect(decodeProtectedHeader(token).kid).not.toBe((await ensureIssuerKey(dataDir)).kid);
      const jwks = createLocalJWKSet(await publicJwks(dataDir));
      await expect(jwtVerify(token, jwks)).rejects.toThrow();
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
