import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type KeyObject,
} from "jose";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "./errors";
import { cacheVerifications, type VerifiedTokenCacheOptions } from "./token-cache";

/** Whom a service trusts to issue bearer tokens (both services read it from the same env vars). */
export interface JwtTrust {
  jwksUrl: string;
  /** When set, tokens are verified against this PEM/JWK file instead of the JWKS URL. */
  publicKeyFile: string | undefined;
  issuer: string;
  audience: string;
}

export interface TokenVerifier {
  /** Verified claims, or a DomainError (401 TOKEN_EXPIRED / TOKEN_INVALID, 503 when the JWKS is unreachable). */
  verify(token: string): Promise<JWTPayload>;
  /**
   * The claims of a token this verifier already verified, while that verification is still trusted
   * (within the token's `exp` and the cache's bound); undefined: call `verify`. Lets a hot path skip a
   * promise per request; absent when nothing is cached.
   */
  verified?(token: string): JWTPayload | undefined;
}

const ALGORITHMS = ["ES256", "RS256"];
/** Tolerates small clock differences between the issuer and this process. */
const CLOCK_TOLERANCE_SECONDS = 5;

export type KeySource = CryptoKey | KeyObject | JWTVerifyGetKey;

/** A PEM (SPKI) file, a single JWK, or a JWKS `{ keys: [...] }` document. */
export function keySourceFromFile(file: string): KeySource {
  const text = readFileSync(file, "utf8").trim();
  if (!text.startsWith("{")) return createPublicKey(text);
  const json: unknown = JSON.parse(text);
  if (typeof json === "object" && json !== null && "keys" in json && Array.isArray(json.keys)) {
    return createLocalJWKSet({ keys: json.keys });
  }
  return createPublicKey({ key: json as import("node:crypto").JsonWebKey, format: "jwk" });
}

/** Verified claims are cached per token (see token-cache.ts); pass `cache: false` to verify every time. */
export function createTokenVerifier(
  jwt: JwtTrust,
  keySource?: KeySource,
  cache: VerifiedTokenCacheOptions | false = {},
): TokenVerifier {
  const source: KeySource =
    keySource ?? (jwt.publicKeyFile ? keySourceFromFile(jwt.publicKeyFile) : createRemoteJWKSet(new URL(jwt.jwksUrl)));
  const options = {
    issuer: jwt.issuer,
    audience: jwt.audience,
    algorithms: ALGORITHMS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ["sub", "exp"],
  };
  async function verify(token: string): Promise<JWTPayload> {
    try {
      // Two calls instead of one generic so TypeScript picks the matching jwtVerify overload.
      const result =
        typeof source === "function"
          ? await jwtVerify(token, source, options)
          : await jwtVerify(token, source, options);
      return result.payload;
    } catch (error) {
      throw toAuthError(error);
    }
  }
  if (cache === false) return { verify };
  const cached = cacheVerifications(verify, cache);
  return { verify: cached, verified: cached.peek };
}

const BEARER = /^Bearer\s+([A-Za-z0-9_\-.=]+)$/i;

/** The token of an `Authorization: Bearer …` header; 401 UNAUTHENTICATED without one, TOKEN_INVALID when malformed. */
export function bearerToken(header: string | undefined): string {
  if (!header) throw new DomainError(ErrorCode.UNAUTHENTICATED, "A bearer token is required");
  const token = bearerTokenOrNull(header);
  if (!token) throw new DomainError(ErrorCode.TOKEN_INVALID, "The bearer token is invalid");
  return token;
}

/** `bearerToken` without the errors: null when there is no well-formed bearer token. */
export function bearerTokenOrNull(header: string | undefined): string | null {
  return header ? (BEARER.exec(header)?.[1] ?? null) : null;
}

function toAuthError(error: unknown): DomainError {
  if (error instanceof errors.JWTExpired) {
    return new DomainError(ErrorCode.TOKEN_EXPIRED, "The bearer token has expired");
  }
  if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && !(error instanceof errors.JOSEError))) {
    // The identity provider's key set could not be fetched: not the caller's fault.
    return new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, "The token issuer's key set is unavailable");
  }
  // Signature, audience, issuer, algorithm, malformed: one answer, so probing learns nothing.
  return new DomainError(ErrorCode.TOKEN_INVALID, "The bearer token is invalid");
}
