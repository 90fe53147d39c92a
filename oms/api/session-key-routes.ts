import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { PreparedTransaction, Readiness, SessionKeyHistory } from "../../lib/defix/session-keys";
import { DomainError } from "../kernel/errors";
import { defineRoute, type Route, registerRoutes } from "../kernel/route";
import type { KeyActor, SessionKeyService } from "../keys/service";
import { requireActor, requireVaultRole } from "./auth";
import { limitRouteTable } from "./limit-routes";

const VaultParams = z.strictObject({ vault_id: VaultId });
/**
 * Looser than `GrantQuery` on purpose: the service parses the duration so that `0h`, `-1h` or `abc`
 * get 400 INVALID_EXPIRY with the allowed range, not a bare pattern mismatch.
 */
const ExpiryQuery = z.strictObject({
  requested_expiry: z
    .string()
    .max(32)
    .optional()
    .describe("A duration such as 168h, 30m, 7d or 3600s; 10m to 30d; default 168h"),
});
const TAG = "Session keys";
const BASE = "/defix/vaults/:vault_id/session-key";

/** Prepare and rotation endpoints need the on-chain primary manager; the code lets the UI say so. */
async function requirePrimaryManager(request: FastifyRequest, vaultId: string): Promise<KeyActor> {
  try {
    await requireVaultRole(request, vaultId, "PRIMARY_MANAGER");
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.FORBIDDEN) {
      throw new DomainError(
        ErrorCode.NOT_PRIMARY_MANAGER,
        "Only the vault's primary manager can manage its session key",
      );
    }
    throw error;
  }
  return { subject: requireActor(request).subject };
}

const prepareDescription =
  "Changes nothing on-chain: the primary manager's wallet signs and sends `{to, data, value}`; the executor checks the sender again. `value` (wei, decimal string) is gas money the executor forwards to the new key.";

type ExpiryQuery = z.output<typeof ExpiryQuery>;

/** A route only the vault's primary manager may call: its params, tag and error statuses are the same. */
function primaryManagerRoute(spec: {
  method: "GET" | "POST";
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** GET prepares take `requested_expiry`; POSTs take no query. */
  takesExpiry: boolean;
  response: { description: string; schema: z.ZodType };
  run(vaultId: string, actor: KeyActor, query: ExpiryQuery): Promise<unknown>;
}): Route {
  return defineRoute({
    method: spec.method,
    url: `${BASE}/${spec.path}`,
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tag: TAG,
    params: VaultParams,
    ...(spec.takesExpiry ? { query: ExpiryQuery } : {}),
    responses: { 200: spec.response },
    errors: [403, 404, 409, 503],
    async handler({ request, params, query }) {
      const actor = await requirePrimaryManager(request, params.vault_id);
      return { status: 200, body: await spec.run(params.vault_id, actor, query as ExpiryQuery) };
    },
  });
}

const toSign = { description: "Transaction to sign", schema: PreparedTransaction };

/**
 * The seven session-key routes, in H3's route-table form (registration and OpenAPI share it), then the four
 * on-chain limit prepares (limit-routes.ts), which share the primary-manager check and the key history.
 */
export function sessionKeyRouteTable(service: SessionKeyService): Route[] {
  return [
    // GET readiness – whether automation may sign for the vault now; the chain is the truth
    defineRoute({
      method: "GET",
      url: `${BASE}/readiness`,
      operationId: "getSessionKeyReadiness",
      summary: "Session-key readiness",
      description:
        "Read from the executor contract (cached ≤ 5 s). `reason` says why it is not ready: NO_KEY, EXPIRED, REVOKED, GENERATION_CHANGED, MANAGER_CHANGED, MISSING_PERMISSION, KEY_NOT_HELD (a valid key the OMS holds no private key for), INSUFFICIENT_GAS (a valid key holding too little ETH for ~3 executions at the current fee; `balance_wei` shows what it has; rotating forwards new gas money), PAUSED (the vault's automation is paused on-chain) or CHAIN_UNAVAILABLE. `limits` carries the on-chain pause and each hook's budget (used/limit, refill time); `limit_reason` is PAUSED or BUDGET_EXHAUSTED (a hook's budget is used up; other hooks still run).",
      tag: TAG,
      params: VaultParams,
      responses: { 200: { description: "Readiness", schema: Readiness } },
      errors: [403, 404],
      async handler({ request, params }) {
        await requireVaultRole(request, params.vault_id, "VIEW_ONLY");
        return { status: 200, body: await service.readiness(params.vault_id) };
      },
    }),
    // GET grant – calldata granting a fresh key the OMS generated and holds
    primaryManagerRoute({
      method: "GET",
      path: "grant",
      operationId: "prepareSessionKeyGrant",
      summary: "Prepare grant calldata",
      description: `${prepareDescription} \`requested_expiry\` is a duration (10m to 30d, default 168h) added to the latest block time. 409 CONFLICT when a valid key exists (rotate instead), ROTATION_PENDING during a rotation.`,
      takesExpiry: true,
      response: toSign,
      run: (vaultId, actor, query) => service.prepareGrant(vaultId, query.requested_expiry, actor),
    }),
    // GET rotation – a pending replacement key and the one-transaction rotate calldata
    primaryManagerRoute({
      method: "GET",
      path: "rotation",
      operationId: "prepareSessionKeyRotation",
      summary: "Prepare rotation calldata",
      description: `${prepareDescription} Revokes the current key and grants the new one in one transaction. One rotation may be pending per vault (409 ROTATION_PENDING); 409 NO_SESSION_KEY when there is nothing to rotate.`,
      takesExpiry: true,
      response: toSign,
      run: (vaultId, actor, query) => service.prepareRotation(vaultId, query.requested_expiry, actor),
    }),
    // POST rotation/complete – promote the pending key once the chain shows it valid
    primaryManagerRoute({
      method: "POST",
      path: "rotation/complete",
      operationId: "completeSessionKeyRotation",
      summary: "Complete a rotation",
      description:
        "Call after the rotation transaction mined. 409 ROTATION_NOT_ON_CHAIN when the chain does not show the new key valid yet, NO_PENDING_ROTATION when none is pending.",
      takesExpiry: false,
      response: { description: "Readiness after the rotation", schema: Readiness },
      run: (vaultId, actor) => service.completeRotation(vaultId, actor),
    }),
    // POST rotation/cancel – discard a pending key that never became valid on-chain
    primaryManagerRoute({
      method: "POST",
      path: "rotation/cancel",
      operationId: "cancelSessionKeyRotation",
      summary: "Cancel a pending rotation",
      description:
        "Discards the pending key. 409 NO_PENDING_ROTATION when none is pending, ROTATION_ALREADY_ON_CHAIN when its transaction already mined (complete it instead).",
      takesExpiry: false,
      response: { description: "Readiness after the cancel", schema: Readiness },
      run: (vaultId, actor) => service.cancelRotation(vaultId, actor),
    }),
    // GET revoke – calldata revoking the key the chain currently honours
    primaryManagerRoute({
      method: "GET",
      path: "revoke",
      operationId: "prepareSessionKeyRevoke",
      summary: "Prepare revoke calldata",
      description: `${prepareDescription} 409 NO_SESSION_KEY when there is no key to revoke.`,
      takesExpiry: false,
      response: toSign,
      run: (vaultId, actor) => service.prepareRevoke(vaultId, actor),
    }),
    // GET history – the audit trail: OMS actions and on-chain grants, revocations, invalidations, expiries
    defineRoute({
      method: "GET",
      url: `${BASE}/history`,
      operationId: "getSessionKeyHistory",
      summary: "Session-key audit trail",
      description:
        "Newest first. OMS actions (PREPARED, ROTATION_PREPARED, ROTATED, ROTATION_CANCELED, REVOKE_PREPARED; actor = the caller) merged with executor events (GRANTED, REVOKED, INVALIDATED; tx_hash and block time) and derived EXPIRED entries (at the expiry time). On-chain limits: OMS prepares BUDGET_PREPARED, PAUSE_PREPARED, UNPAUSE_PREPARED, GUARDIAN_PREPARED and chain entries BUDGET_SET, PAUSED, UNPAUSED, GUARDIAN_SET with `details`.",
      tag: TAG,
      params: VaultParams,
      responses: { 200: { description: "History", schema: SessionKeyHistory } },
      errors: [403, 404, 503],
      async handler({ request, params }) {
        await requireVaultRole(request, params.vault_id, "VIEW_ONLY");
        return { status: 200, body: { entries: await service.history(params.vault_id) } };
      },
    }),
    ...limitRouteTable(service, requirePrimaryManager),
  ];
}

/** Fastify plugin registering the session-key routes; the app supplies auth and the error handler. */
export async function sessionKeyRoutes(app: FastifyInstance, options: { service: SessionKeyService }): Promise<void> {
  registerRoutes(app, sessionKeyRouteTable(options.service));
}
