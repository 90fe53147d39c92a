import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { createTokenVerifier, type TokenVerifier } from "../token-verifier";

export const TEST_ISSUER = "defix-console";
export const TEST_AUDIENCE = "defix-oms";

export interface TokenOptions {
  sub: string;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an already expired token. */
  expiresIn?: number;
  claims?: Record<string, unknown>;
}

export interface TestIssuer {
  publicJwk: JWK;
  verifier: TokenVerifier;
  sign(options: TokenOptions): Promise<string>;
}

/** A throwaway ES256 issuer: tokens signed here verify only against this issuer's verifier. */
export async function createTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: "test", alg: "ES256", use: "sig" };
  const verifier = createTokenVerifier(
    { jwksUrl: "http://127.0.0.1:9/unused", publicKeyFile: undefined, issuer: TEST_ISSUER, audience: TEST_AUDIENCE },
    publicKey,
  );
  return {
    publicJwk,
    verifier,
    async sign({ sub, issuer = TEST_ISSUER, audience = TEST_AUDIENCE, expiresIn = 900, claims = {} }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "test" })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now - 60)
        .setExpirationTime(now + expiresIn)
        .sign(privateKey);
    },
  };
}

/** The same token with one signature character flipped. */
export function tamper(token: string): string {
  const [header, payload, signature = ""] = token.split(".");
  const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
  return `${header}.${payload}.${flipped}`;
}
