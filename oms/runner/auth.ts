import { readFileSync } from "node:fs";
import { createRemoteJWKSet, importJWK, importSPKI, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Role } from "../../lib/defix/common";
import type { ChainReader } from "./chain";

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: "UNAUTHENTICATED" | "TOKEN_EXPIRED" | "TOKEN_INVALID" | "FORBIDDEN",
    message: string,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

type KeyInput = Parameters<typeof jwtVerify>[1];

/** The OMS's rules (oms/api/token-verifier.ts): a token must say who and until when, within 5 s of skew. */
const CLOCK_TOLERANCE_SECONDS = 5;
const REQUIRED_CLAIMS = ["sub", "exp"];

/** Same trust as the OMS: a configured public key file (PEM or JWK) or the issuer's JWKS. */
export function loadVerificationKey(jwt: { publicKeyFile?: string; jwksUrl?: string }): KeyInput | JWTVerifyGetKey {
  if (jwt.publicKeyFile) {
    const text = readFileSync(jwt.publicKeyFile, "utf8").trim();
    const key = text.startsWith("{") ? importJWK(JSON.parse(text), "ES256") : importSPKI(text, "ES256");
    return async () => key;
  }
  return createRemoteJWKSet(new URL(jwt.jwksUrl ?? "http://127.0.0.1:3000/api/auth/jwks"));
}

export interface TokenVerifier {
  /** Returns the lowercased wallet address the token was issued to. */
  verify(authorization: string | undefined): Promise<`0x${string}`>;
}

export function createTokenVerifier(options: {
  key: KeyInput | JWTVerifyGetKey;
  issuer: string;
  audience: string;
}): TokenVerifier {
  return {
    async verify(authorization) {
      const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization ?? "");
      if (!match) throw new AuthError(401, "UNAUTHENTICATED", "a Bearer token is required");
      try {
        const verifyOptions = {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ["ES256", "RS256"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: REQUIRED_CLAIMS,
        };
        const { payload } =
          typeof options.key === "function"
            ? await jwtVerify(match[1]!, options.key, verifyOptions)
            : await jwtVerify(match[1]!, options.key, verifyOptions);
        const subject = payload.sub ?? "";
        if (!/^0x[0-9a-fA-F]{40}$/.test(subject))
          throw new AuthError(403, "FORBIDDEN", "only wallet users may use this API");
        return subject.toLowerCase() as `0x${string}`;
      } catch (error) {
        if (error instanceof AuthError) throw error;
        const isExpired = error instanceof Error && "code" in error && error.code === "ERR_JWT_EXPIRED";
        throw new AuthError(
          401,
          isExpired ? "TOKEN_EXPIRED" : "TOKEN_INVALID",
          isExpired ? "token expired" : "token invalid",
        );
      }
    },
  };
}

/** `VIEW_ONLY=addr=vault_id,vault_id;addr=…` → address → vault ids. */
export function parseViewOnly(spec: string): Map<string, Set<string>> {
  const grants = new Map<string, Set<string>>();
  for (const entry of spec.split(";")) {
    const [address, vaults] = entry.split("=");
    if (!address?.trim() || !vaults) continue;
    const ids = vaults
      .split(",")
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
    grants.set(address.trim().toLowerCase(), new Set(ids));
  }
  return grants;
}

export type RoleResolver = (account: `0x${string}`, vaultId: string, vault: `0x${string}`) => Promise<Role | null>;

/** Roles come from the chain's registry (plus the view-only list), like the OMS; claims never grant them. */
export function createRoleResolver(chain: ChainReader, viewOnly: string): RoleResolver {
  const viewers = parseViewOnly(viewOnly);
  return async (account, vaultId, vault) => {
    if ((await chain.primaryManager(vault)) === account) return "PRIMARY_MANAGER";
    if (await chain.isSecondaryManager(vault, account)) return "SECONDARY_MANAGER";
    return viewers.get(account)?.has(vaultId) ? "VIEW_ONLY" : null;
  };
}
