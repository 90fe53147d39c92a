import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { BudgetRequest, GuardianRequest } from "../../lib/defix/limits";
import { PreparedTransaction } from "../../lib/defix/session-keys";
import { DomainError } from "../kernel/errors";
import { defineRoute, type Route } from "../kernel/route";
import type { KeyActor, SessionKeyService } from "../keys/service";
import { requireActor } from "./auth";

/**
 * On-chain limits (issue 20): prepared calldata for budgets, the pause, the unpause and guardians. Nothing changes
 * on-chain here; the wallet signs and the contracts check the sender again. Each prepare is a key-history row.
 */

const VaultParams = z.strictObject({ vault_id: VaultId });
const TAG = "On-chain limits";
const BASE = "/defix/vaults/:vault_id/limits";
const toSign = { 200: { description: "Transaction to sign", schema: PreparedTransaction } };
const prepared =
  "Changes nothing on-chain: the wallet signs and sends `{to, data, value}` (value 0); the contract checks the sender again.";

type PrimaryCheck = (request: FastifyRequest, vaultId: string) => Promise<KeyActor>;

const ADDRESS = /^0x[0-9a-f]{40}$/;

/** The four limit routes; `requirePrimaryManager` is the session-key routes' check (403 NOT_PRIMARY_MANAGER). */
export function limitRouteTable(service: SessionKeyService, requirePrimaryManager: PrimaryCheck): Route[] {
  /** The primary manager, or a wallet the current primary manager named guardian on-chain (pause only). */
  async function requirePrimaryOrGuardian(request: FastifyRequest, vaultId: string): Promise<KeyActor> {
    try {
      return await requirePrimaryManager(request, vaultId);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.NOT_PRIMARY_MANAGER) throw error;
      const actor = requireActor(request);
      const isWallet = actor.kind === "user" && ADDRESS.test(actor.subject);
      if (isWallet && (await service.limits.isGuardian(vaultId, actor.subject as `0x${string}`))) {
        return { subject: actor.subject };
      }
      throw new DomainError(
        ErrorCode.NOT_PRIMARY_MANAGER,
        "Only the vault's primary manager or a guardian it named can pause its automation",
      );
    }
  }

  return [
    defineRoute({
      method: "POST",
      url: `${BASE}/budget`,
      operationId: "prepareBudget",
      summary: "Prepare set-budget calldata",
      description: `${prepared} Primary manager only. Sets the budget of one of the vault's hooks on the contract holding its session keys in its account mode (executor, vault account, companion or 7702 EOA: the prepared \`to\`): \`max_amount\` (hook input token base units, "0" = no amount limit) and \`max_executions\` (0 = no count limit) per \`period_seconds\` (0 removes the budget; at most 366 days), fixed or rolling window. 400 VALIDATION_FAILED for a hook outside the vault's tree; 409 DELEGATION_MISSING for an EIP7702 vault whose strategy EOA does not delegate yet.`,
      tag: TAG,
      params: VaultParams,
      body: BudgetRequest,
      responses: toSign,
      errors: [400, 403, 404, 409, 503],
      async handler({ request, params, body }) {
        const actor = await requirePrimaryManager(request, params.vault_id);
        return { status: 200, body: await service.limits.prepareBudget(params.vault_id, body, actor) };
      },
    }),
    defineRoute({
      method: "POST",
      url: `${BASE}/pause`,
      operationId: "preparePause",
      summary: "Prepare on-chain pause calldata",
      description: `${prepared} The primary manager or a guardian it named. While paused every session key of the vault is refused on-chain and the OMS holds its intents (WAITING PAUSED). 409 PAUSED when already paused.`,
      tag: TAG,
      params: VaultParams,
      responses: toSign,
      errors: [403, 404, 409, 503],
      async handler({ request, params }) {
        const actor = await requirePrimaryOrGuardian(request, params.vault_id);
        return { status: 200, body: await service.limits.preparePause(params.vault_id, actor) };
      },
    }),
    defineRoute({
      method: "POST",
      url: `${BASE}/unpause`,
      operationId: "prepareUnpause",
      summary: "Prepare unpause calldata",
      description: `${prepared} Primary manager only (a guardian can stop automation, never restart it). 409 CONFLICT when not paused.`,
      tag: TAG,
      params: VaultParams,
      responses: toSign,
      errors: [403, 404, 409, 503],
      async handler({ request, params }) {
        const actor = await requirePrimaryManager(request, params.vault_id);
        return { status: 200, body: await service.limits.prepareUnpause(params.vault_id, actor) };
      },
    }),
    defineRoute({
      method: "POST",
      url: `${BASE}/guardian`,
      operationId: "prepareGuardian",
      summary: "Prepare set-guardian calldata",
      description: `${prepared} Primary manager only. Names (\`enabled: true\`) or removes an address that may pause the vault's automation; a guardian counts only while the manager who named it is primary.`,
      tag: TAG,
      params: VaultParams,
      body: GuardianRequest,
      responses: toSign,
      errors: [400, 403, 404, 503],
      async handler({ request, params, body }) {
        const actor = await requirePrimaryManager(request, params.vault_id);
        return { status: 200, body: await service.limits.prepareGuardian(params.vault_id, body, actor) };
      },
    }),
  ];
}
