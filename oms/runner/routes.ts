import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { Address, type Role, VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { KillSwitchRequest, SetStrategyState, type StrategyList } from "../../lib/defix/strategies";
import { ROLE_RANK, type RoleDirectory } from "../../lib/roles/directory";
import { DomainError } from "../kernel/errors";
import { bearerToken, type TokenVerifier } from "../kernel/token-verifier";
import type { StrategyRepository } from "./store/strategy-repo";

export interface RouteDeps {
  repo: StrategyRepository;
  verifier: TokenVerifier;
  directory: RoleDirectory;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
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
    return { vault_id: vaultId, kill_switch: killSwitch, strategies: stored.map((s) => s.strategy) };
  }

  // GET /health – liveness plus how many strategies the runner drives
  app.get("/health", async () => ({ ok: true, vaults: deps.directory.vaults().length }));

  // GET /strategies?vault_id= – the vault's strategies and kill switch (any role)
  app.get("/strategies", async (request) => {
    const { vault_id } = z.strictObject({ vault_id: VaultId }).parse(request.query);
    await authorize(request, vault_id, false);
    return strategyList(vault_id);
  });

  // PUT /strategies/:id/state – IDLE/RUNNING with optimistic concurrency (managers)
  app.put("/strategies/:id/state", async (request) => {
    const { id } = z.object({ id: z.string().min(1).max(128) }).parse(request.params);
    const body = SetStrategyState.parse(request.body);
    const stored = await deps.repo.get(id);
    if (!stored) throw new DomainError(ErrorCode.STRATEGY_NOT_FOUND, `strategy ${id} does not exist`);
    await authorize(request, stored.strategy.vault_id, true);
    if (body.state === "RUNNING" && (await deps.repo.killSwitch(stored.strategy.vault_id))) {
      throw new DomainError(
        ErrorCode.CONFLICT,
        "the vault's kill switch is engaged: release it before starting a strategy",
      );
    }
    const result = await deps.repo.setState(id, body.state, body.expected_version);
    if (!result.ok) {
      throw new DomainError(ErrorCode.VERSION_CONFLICT, "the strategy changed since you loaded it", {
        current: result.current,
      });
    }
    return result.strategy;
  });

  // PUT /vaults/:vault_id/kill-switch – engage (stops every strategy) or release (managers)
  app.put("/vaults/:vault_id/kill-switch", async (request) => {
    const { vault_id } = z.object({ vault_id: VaultId }).parse(request.params);
    const body = KillSwitchRequest.parse(request.body);
    await authorize(request, vault_id, true);
    await deps.repo.setKillSwitch(vault_id, body.engaged);
    return strategyList(vault_id);
  });
}
