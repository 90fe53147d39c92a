import { runnerPath, withRunner } from "@/lib/bff/runner";
import { VaultParams } from "@/lib/bff/schemas";
import { KillSwitchRequest, StrategyList } from "@/lib/defix/strategies";

// PUT /api/runner/vaults/:vaultId/kill-switch – engage (stops every strategy) or release the vault's kill switch
export const PUT = withRunner(
  { schema: { params: VaultParams, body: KillSwitchRequest }, csrf: true },
  ({ params, body, runner }) =>
    runner({ response: StrategyList, method: "PUT", path: runnerPath.killSwitch(params.vaultId), body }),
);
