import type { FastifyInstance, FastifyRequest } from "fastify";
import type { JWTPayload } from "jose";
import { Address, type Role, VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { ROLE_RANK, type RoleDirectory } from "../../lib/roles/directory";
import { DomainError } from "../kernel/errors";
import { bearerToken, bearerTokenOrNull, type TokenVerifier } from "../kernel/token-verifier";
import { type RequestLimiter, UNLIMITED } from "./limits";
import type { Actor } from "./ports";

/** The authenticated caller. Services carry the vaults their token lists (`svc_vaults`). */
export interface RequestActor extends Actor {
  serviceVaults: readonly string[];
  /** When the bearer token stops being valid (ms since epoch), so long-lived streams end with it. */
  tokenExpiresAt: number | null;
}

export interface AccessControl {
  verifier: TokenVerifier;
  directory: RoleDirectory;
  serviceSubjects: readonly string[];
}

/** How a caller holds access to a vault: its on-chain/VIEW_ONLY role, or the service grant. */
export interface VaultGrant {
  vault_id: string;
  role: Role;
  isService: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    actor: RequestActor | null;
  }
  interface FastifyInstance {
    access: AccessControl;
  }
}

/**
 * Every route except the public ones needs a valid bearer token; this hook guards all of them, and
 * counts each request against its caller's budget (`app.limiter`): the token's subject once it is
 * verified, else the client address (public and unknown routes, failed authentication).
 */
export function registerAuthentication(
  app: FastifyInstance,
  access: AccessControl,
  limiter: RequestLimiter = UNLIMITED,
): void {
  app.decorate("access", access);
  app.decorate("limiter", limiter);
  app.decorateRequest("actor", null);
  const isUnlimited = limiter === UNLIMITED;
  // Actors are a pure function of verified claims; the claims object lives as long as its cache entry.
  const actors = new WeakMap<JWTPayload, RequestActor>();
  const actorOf = (claims: JWTPayload): RequestActor => {
    let actor = actors.get(claims);
    if (actor === undefined) {
      actor = actorFromClaims(claims, access.serviceSubjects);
      actors.set(claims, actor);
    }
    return actor;
  };

  async function authenticateAndCount(request: FastifyRequest): Promise<void> {
    if (request.is404 || request.routeOptions.config.isPublic) return limiter.address(request);
    let actor: RequestActor;
    try {
      actor = actorOf(await access.verifier.verify(bearerToken(request.headers.authorization)));
    } catch (error) {
      await limiter.address(request);
      throw error;
    }
    request.actor = actor;
    await limiter.identity(request, actor);
  }

  // Not async: a caller whose token was verified before (and still within its `exp` and the cache
  // bound), with no limits to count, is let through without a promise; anyone else takes the full path.
  app.addHook("onRequest", (request, _reply, done) => {
    const token = isUnlimited && !request.is404 ? bearerTokenOrNull(request.headers.authorization) : null;
    const claims = token === null ? undefined : access.verifier.verified?.(token);
    const actor = claims === undefined ? undefined : actors.get(claims);
    if (actor !== undefined && !request.routeOptions.config.isPublic) {
      request.actor = actor;
      done();
      return;
    }
    authenticateAndCount(request).then(() => done(), done);
  });
}

export function actorFromClaims(claims: JWTPayload, serviceSubjects: readonly string[]): RequestActor {
  const subject = claims.sub ?? "";
  const tokenExpiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : null;
  if (serviceSubjects.includes(subject)) {
    const listed = Array.isArray(claims.svc_vaults) ? claims.svc_vaults : [];
    const vaults = listed.map((vault) => VaultId.safeParse(vault));
    if (vaults.some((vault) => !vault.success)) {
      throw new DomainError(ErrorCode.TOKEN_INVALID, "The service token's svc_vaults claim is invalid");
    }
    const serviceVaults = vaults.flatMap((vault) => (vault.success ? [vault.data] : []));
    return { subject, kind: "service", serviceVaults, tokenExpiresAt };
  }
  const address = Address.safeParse(subject);
  if (!address.success) throw new DomainError(ErrorCode.TOKEN_INVALID, "The token's subject is not accepted");
  return { subject: address.data, kind: "user", serviceVaults: [], tokenExpiresAt };
}

export function requireActor(request: FastifyRequest): RequestActor {
  if (!request.actor) throw new DomainError(ErrorCode.UNAUTHENTICATED, "A bearer token is required");
  return request.actor;
}

/**
 * The caller's grant on `vaultId` if it is at least `minimumRole`. Unknown vault → 404
 * VAULT_NOT_FOUND; too weak or no role → 403 FORBIDDEN. A service identity counts as a manager
 * (submit, cancel, read) for the vaults its token lists, never as the primary manager.
 */
export async function requireVaultRole(
  request: FastifyRequest,
  vaultId: string,
  minimumRole: Role,
): Promise<VaultGrant> {
  const actor = requireActor(request);
  const { directory } = request.server.access;
  const vault = directory.vault(vaultId);
  if (!vault) throw new DomainError(ErrorCode.VAULT_NOT_FOUND, `Vault ${vaultId} is not known to this OMS`);
  const grant = await grantFor(actor, vault.vault_id, directory);
  if (!grant || ROLE_RANK[grant.role] < ROLE_RANK[minimumRole]) {
    throw new DomainError(ErrorCode.FORBIDDEN, `This action needs the ${minimumRole} role on the vault`);
  }
  return grant;
}

/** The caller's grant on a vault, or null; no error. */
export async function grantFor(
  actor: RequestActor,
  vaultId: string,
  directory: RoleDirectory,
): Promise<VaultGrant | null> {
  if (actor.kind === "service") {
    return actor.serviceVaults.includes(vaultId)
      ? { vault_id: vaultId, role: "SECONDARY_MANAGER", isService: true }
      : null;
  }
  const role = (await directory.rolesFor(actor.subject)).get(vaultId);
  return role ? { vault_id: vaultId, role, isService: false } : null;
}

/** Known vaults the caller holds any role on, with that role. */
export async function visibleVaults(request: FastifyRequest): Promise<VaultGrant[]> {
  const actor = requireActor(request);
  const { directory } = request.server.access;
  const grants = await Promise.all(directory.vaults().map((vault) => grantFor(actor, vault.vault_id, directory)));
  return grants.filter((grant): grant is VaultGrant => grant !== null);
}
