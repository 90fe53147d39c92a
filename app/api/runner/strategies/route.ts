import { z } from "zod";
import { runnerPath, withRunner } from "@/lib/bff/runner";
import { VaultId } from "@/lib/defix/common";
import { StrategyList } from "@/lib/defix/strategies";

// GET /api/runner/strategies?vault_id= – the vault's strategies and kill switch from the strategy runner
export const GET = withRunner({ schema: { query: z.strictObject({ vault_id: VaultId }) } }, ({ query, runner }) =>
  runner({ response: StrategyList, method: "GET", path: runnerPath.strategies(), query: { vault_id: query.vault_id } }),
);
