import { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import { CostsQuery, VaultCosts } from "../../lib/defix/costs";
import type { CostService } from "../core/costs";
import { defineRoute, type Route } from "../kernel/route";
import { requireVaultRole } from "./auth";

/** `GET /defix/vaults/{vault_id}/costs`: what automation spent on gas, from receipts (issue 19). */
export function costRoutes(costs: CostService): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/defix/vaults/:vault_id/costs",
      operationId: "getVaultCosts",
      summary: "Gas spent by the vault's automation",
      description:
        "Every mined transaction of the vault's intents counted once at its receipt's gas used × effective gas price (wei), split into successful and wasted (reverted); attempts that never mined (fee-bump replacements, drops) cost nothing and are counted as `unmined_attempts`. `from` (inclusive, default 30 days before `to`) and `to` (exclusive, default now) bound when the transaction mined; at most 400 days. `group_by` day (UTC, every day present), strategy or action. `wei_per_completed_intent` is the efficiency figure. Fills keep each transaction's `gas_used`; several fills of one transaction (a REBALANCE) are counted once here.",
      tag: "Vaults",
      params: z.strictObject({ vault_id: VaultId }),
      query: CostsQuery,
      responses: { 200: { description: "Totals and groups", schema: VaultCosts } },
      errors: [403, 404],
      async handler({ request, params, query }) {
        await requireVaultRole(request, params.vault_id, "VIEW_ONLY");
        return { status: 200, body: await costs.costs(params.vault_id, query) };
      },
    }),
  ];
}
