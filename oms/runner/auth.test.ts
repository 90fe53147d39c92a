import { generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier, type TokenVerifier } from "./auth";

const WALLET = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
let key: CryptoKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  key = pair.privateKey;
  verifier = createTokenVerifier({ key: pair.publicKey, issuer: "defix-console", audience: "defix-oms" });
});

function token(claims: { sub?: string; expiresAt?: number }) {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setIssuer("defix-console").setAudience("defix-oms");
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.expiresAt !== undefined) jwt.setExpirationTime(claims.expiresAt);
  return jwt.sign(key);
}

const now = () => Math.floor(Date.now() / 1000);

describe("runner token verification", () => {
  it("accepts a wallet token with an expiry", async () => {
    await expect(verifier.verify(`Bearer ${await token({ sub: WALLET, expiresAt: now() + 60 })}`)).resolves.toBe(
      WALLET,
    );
  });

  it("refuses a token without exp: it would never expire", async () => {
    await expect(verifier.verify(`Bearer ${await token({ sub: WALLET })}`)).rejects.toMatchObject({
      status: 401,
      code: "TOKEN_INVALID",
    });
  });

  it("refuses a token without sub", async () => {
    await expect(verifier.verify(`Bearer ${await token({ expiresAt: now() + 60 })}`)).rejects.toMatchObject({
      status: 401,
      code: "TOKEN_INVALID",
    });
  });

  it("tolerates a few seconds of clock skew, not more", async () => {
    await expect(verifier.verify(`Bearer ${await token({ sub: WALLET, expiresAt: now() - 2 })}`)).resolves.toBe(WALLET);
    await expect(
      verifier.verify(`Bearer ${await token({ sub: WALLET, expiresAt: now() - 30 })}`),
    ).rejects.toMatchObject({ code: "TOKEN_EXPIRED" });
  });
});
