import { randomBytes } from "node:crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

/**
 * The dashboard's embedded token issuer: ES256 tokens the OMS verifies against the public JWK.
 *
 * No `server-only` import here on purpose: the start script and `scripts/token.ts` use this module
 * outside Next. Next modules that use it (`lib/auth/*` server code) import "server-only" themselves.
 * Replacing it with an external identity provider only changes the OMS's JWKS URL / issuer / audience
 * env (see lib/auth/README.md); the OMS never sees this file.
 */
export const OMS_JWT_ALG = "ES256";
export const OMS_JWT_ISSUER = process.env.OMS_JWT_ISSUER ?? "defix-console";
export const OMS_JWT_AUDIENCE = process.env.OMS_JWT_AUDIENCE ?? "defix-oms";
export const DEFAULT_TTL_SECONDS = 900;

export interface IssuerKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateKeyPath: string | null;
  publicKeyPath: string;
}

const cache = new Map<string, Promise<IssuerKey>>();

export function defaultDataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? ".data");
}

/**
 * Loads the signing key from `AUTH_JWT_PRIVATE_JWK` or `${dataDir}/jwt/`, creating it on first use.
 * The public JWK file is (re)written every time so the OMS can point at it regardless of start order.
 */
export function ensureIssuerKey(dataDir: string = defaultDataDir()): Promise<IssuerKey> {
  const dir = path.resolve(dataDir);
  let pending = cache.get(dir);
  if (!pending) {
    pending = loadOrCreate(dir);
    cache.set(dir, pending);
    pending.catch(() => cache.delete(dir));
  }
  return pending;
}

async function loadOrCreate(dataDir: string): Promise<IssuerKey> {
  const jwtDir = path.join(dataDir, "jwt");
  mkdirSync(jwtDir, { recursive: true, mode: 0o700 });
  const privateKeyPath = path.join(jwtDir, "private.jwk.json");
  const publicKeyPath = path.join(jwtDir, "public.jwk.json");

  const fromEnv = process.env.AUTH_JWT_PRIVATE_JWK;
  const privateJwk: JWK = fromEnv
    ? parseJwk(fromEnv, "AUTH_JWT_PRIVATE_JWK")
    : await readOrCreatePrivate(privateKeyPath);
  if (privateJwk.kty !== "EC" || privateJwk.crv !== "P-256" || !privateJwk.d) {
    throw new Error("issuer key must be a private EC P-256 JWK (ES256)");
  }
  const { d: _secret, ...publicPart } = privateJwk;
  const kid = await calculateJwkThumbprint(publicPart);
  const publicJwk: JWK = {
    kty: publicPart.kty,
    crv: publicPart.crv,
    x: publicPart.x,
    y: publicPart.y,
    kid,
    alg: OMS_JWT_ALG,
    use: "sig",
  };
  writeAtomically(publicKeyPath, `${JSON.stringify(publicJwk, null, 2)}\n`, 0o644);
  const privateKey = (await importJWK({ ...privateJwk, alg: OMS_JWT_ALG }, OMS_JWT_ALG)) as CryptoKey;
  return { kid, privateKey, publicJwk, privateKeyPath: fromEnv ? null : privateKeyPath, publicKeyPath };
}

async function readOrCreatePrivate(file: string): Promise<JWK> {
  if (existsSync(file)) return parseJwk(readFileSync(file, "utf8"), file);
  const { privateKey } = await generateKeyPair(OMS_JWT_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // link() fails when the target exists, so two processes starting at once keep exactly one key.
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
  return parseJwk(readFileSync(file, "utf8"), file);
}

function parseJwk(text: string, source: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    // The text is key material: never echo it into the error.
    throw new Error(`${source} does not hold valid JSON`);
  }
}

function writeAtomically(file: string, content: string, mode: number): void {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}

export interface IssueOptions {
  subject: string;
  ttlSeconds?: number;
  /** Extra claims, e.g. `svc_vaults` for service identities. Registered claims cannot be overridden. */
  claims?: Record<string, unknown>;
  dataDir?: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Signs an OMS access token: iss/aud fixed, `sub` a lower-cased wallet address (or `svc:` subject). */
export async function issueOmsToken(options: IssueOptions): Promise<IssuedToken> {
  const key = await ensureIssuerKey(options.dataDir);
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = new Date((now + ttl) * 1000);
  const token = await new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: OMS_JWT_ALG, kid: key.kid, typ: "JWT" })
    .setIssuer(OMS_JWT_ISSUER)
    .setAudience(OMS_JWT_AUDIENCE)
    .setSubject(options.subject.toLowerCase())
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .setJti(randomBytes(12).toString("base64url"))
    .sign(key.privateKey);
  return { token, expiresAt };
}

/** The JWKS document served at /api/auth/jwks. */
export async function publicJwks(dataDir?: string): Promise<{ keys: JWK[] }> {
  const key = await ensureIssuerKey(dataDir);
  return { keys: [key.publicJwk] };
}
