import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { Address, type Role, VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { KillSwitchRequest, SetStrategyState, StrategyList, StrategyPreview } from "../../lib/defix/strategies";
import { ROLE_RANK, type RoleDirectory } from "../../lib/roles/directory";
import { DomainError } from "../kernel/errors";
import { defineRoute, type Route } from "../kernel/route";
import { bearerToken, type TokenVerifier } from "../kernel/token-verifier";
import type { StoredStrategy, StrategyRepository } from "./store/strategy-repo";

export interface RouteDeps {
  repo: StrategyRepository;
  verifier: TokenVerifier;
  directory: RoleDirectory;
  /** Tells the OMS of a kill-switch change (its alert); best effort, re-synced on a tick. */
  onKillSwitch?(vaultId: string, engaged: boolean): void;
  /** The engine's preview of a strategy's next intent (refined by the OMS). */
  preview: (stored: StoredStrategy) => Promise<StrategyPreview>;
  /** The bound on a strategy's intents waiting for approval, shown on its card. */
  maxWaitingApprovals: number;
}

/** The runner's HTTP surface, defined like the OMS's (zod-parsed params, query and body; shared error mapping). */
export function runnerRoutes(deps: RouteDeps): Route[] {
  /** Authenticates, then requires a role on the vault: any role to read, a manager role to change. */
  async function authorize(request: FastifyRequest, vaultId: string, mustManage: boolean): Promise<Role> {
    const claims = await deps.verifier.verify(bearerToken(request.headers.authorization));
    const account = Address.safeParse(claims.sub);
    if (!account.success) throw new DomainError(ErrorCode.FORBIDDEN, "only wallet users may use this API");
    const vault = deps.directory.vault(vaultId);
    if (!vault) throw new DomainError(ErrorCode.VAULT_NOT_FOUND, `vault ${vaultId} is not deployed here`);
    const role = (await deps.directory.rolesFor(account.data)).get(vault.vault_id);
    if (!role) throw new DomainError(ErrorCode.FORBIDDEN, "you hold no role on this vault");
    if (mustManage && ROLE_RANK[role] < ROLE_RANK.SECONDARY_MANAGER) {
      throw new DomainError(ErrorCode.FORBIDDEN, "only the vault's managers may change its strategies");
    }
    return role;
  }

  async function strategyList(vaultId: string): Promise<z.infer<typeof StrategyList>> {
    const [stored, killSwitch] = await Promise.all([deps.repo.list(vaultId), deps.repo.killSwitch(vaultId)]);
    return {
      vault_id: vaultId,
      kill_switch: killSwitch,
      strategies: stored.map((s) => s.strategy),
      max_waiting_approvals: deps.maxWaitingApprovals,
    };
  }

  const StrategyId = z.object({ id: z.string().min(1).max(128) });
  const VaultParam = z.object({ vault_id: VaultId });
  const ok = (body: unknown) => ({ status: 200, body });
  return [
    // GET /health – liveness plus how many vaults the runner drives
    defineRoute({
      method: "GET",
      url: "/health",
      operationId: "runnerHealth",
      summary: "Liveness",
      tag: "runner",
      isPublic: true,
      responses: { 200: { description: "Up" } },
      handler: async () => ok({ ok: true, vaults: deps.directory.vaults().length }),
    }),
    // GET /strategies?vault_id= – the vault's strategies and kill switch (any role)
    defineRoute({
      method: "GET",
      url: "/strategies",
      operationId: "listStrategies",
      summary: "A vault's strategies and kill switch",
      tag: "runner",
      query: z.strictObject({ vault_id: VaultId }),
      responses: { 200: { description: "The strategies", schema: StrategyList } },
      errors: [403, 404],
      handler: async ({ request, query }) => {
        await authorize(request, query.vault_id, false);
        return ok(await strategyList(query.vault_id));
      },
    }),
    // PUT /strategies/:id/state – IDLE/RUNNING with optimistic concurrency (managers)
    defineRoute({
      method: "PUT",
      url: "/strategies/:id/state",
      operationId: "setStrategyState",
      summary: "Start or stop a strategy",
      tag: "runner",
      params: StrategyId,
      body: SetStrategyState,
      responses: { 200: { description: "The strategy after the change" } },
      errors: [403, 404, 409],
      handler: async ({ request, params, body }) => {
        const stored = await deps.repo.get(params.id);
        if (!stored) throw new DomainError(ErrorCode.STRATEGY_NOT_FOUND, `strategy ${params.id} does not exist`);
        await authorize(request, stored.strategy.vault_id, true);
        if (body.state === "RUNNING" && (await deps.repo.killSwitch(stored.strategy.vault_id))) {
          throw new DomainError(
            ErrorCode.CONFLICT,
            "the vault's kill switch is engaged: release it before starting a strategy",
          );
        }
        const result = await deps.repo.setState(params.id, body.state, body.expected_version);
        if (!result.ok) {
          throw new DomainError(ErrorCode.VERSION_CONFLICT, "the strategy changed since you loaded it", {
            current: result.current,
          });
        }
        return ok(result.strategy);
      },
    }),
    // POST /strategies/:id/preview – the next tick's intent, refined by the OMS; nothing is created (managers)
    defineRoute({
      method: "POST",
      url: "/strategies/:id/preview",
      operationId: "previewStrategy",
      summary: "Preview a strategy's next intent",
      description:
        "Runs the strategy's rule on the vault's current state; when it would publish an intent, the OMS refines it (POST /defix/intents/refine under the runner's service identity): size, hook calls, outputs, gas, or the error and hint it would fail with. No intent is created and the strategy's state does not change.",
      tag: "runner",
      params: StrategyId,
      responses: { 200: { description: "The preview", schema: StrategyPreview } },
      errors: [403, 404],
      handler: async ({ request, params }) => {
        const stored = await deps.repo.get(params.id);
        if (!stored) throw new DomainError(ErrorCode.STRATEGY_NOT_FOUND, `strategy ${params.id} not found`);
        await authorize(request, stored.strategy.vault_id, true);
        return ok(await deps.preview(stored));
      },
    }),
    // PUT /vaults/:vault_id/kill-switch – engage (stops every strategy) or release (managers)
    defineRoute({
      method: "PUT",
      url: "/vaults/:vault_id/kill-switch",
      operationId: "setKillSwitch",
      summary: "Engage or release a vault's kill switch",
      tag: "runner",
      params: VaultParam,
      body: KillSwitchRequest,
      responses: { 200: { description: "The strategies after the change", schema: StrategyList } },
      errors: [403, 404],
      handler: async ({ request, params, body }) => {
        await authorize(request, params.vault_id, true);
        await deps.repo.setKillSwitch(params.vault_id, body.engaged);
        deps.onKillSwitch?.(params.vault_id, body.engaged);
        return ok(await strategyList(params.vault_id));
      },
    }),
  ];
}
