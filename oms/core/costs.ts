import type { Kysely } from "kysely";
import type { z } from "zod";
import {
  type CostFigures,
  type CostGroup,
  type CostGroupBy,
  type CostsQuery,
  MAX_COST_RANGE_DAYS,
  type VaultCosts,
} from "../../lib/defix/costs";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { type CostSources, costSources } from "../store/costs-repo";
import type { Database } from "../store/schema";

const DAY_MS = 86_400_000;

interface Tally {
  transactions: number;
  reverted: number;
  unmined: number;
  unknown: number;
  gas: bigint;
  successful: bigint;
  wasted: bigint;
  completed: number;
}

const emptyTally = (): Tally => ({
  transactions: 0,
  reverted: 0,
  unmined: 0,
  unknown: 0,
  gas: 0n,
  successful: 0n,
  wasted: 0n,
  completed: 0,
});

function figures(tally: Tally): CostFigures {
  const total = tally.successful + tally.wasted;
  return {
    transactions: tally.transactions,
    reverted_transactions: tally.reverted,
    unmined_attempts: tally.unmined,
    gas_used: tally.gas.toString(),
    successful_wei: tally.successful.toString(),
    wasted_wei: tally.wasted.toString(),
    total_wei: total.toString(),
    completed_intents: tally.completed,
    wei_per_completed_intent: tally.completed === 0 ? null : (total / BigInt(tally.completed)).toString(),
    unknown_cost_transactions: tally.unknown,
  };
}

const dayOf = (iso: string) => iso.slice(0, 10);

function keyOf(groupBy: CostGroupBy, at: string, row: { strategy_id: string | null; action: string }): string {
  if (groupBy === "day") return dayOf(at);
  if (groupBy === "strategy") return row.strategy_id ?? "-";
  return row.action;
}

/**
 * Totals and groups from the rows of one range. Each mined transaction is counted once at its
 * receipt's `gas_used × effective_gas_price`; reverted ones are wasted. Pure, for unit tests.
 */
export function tallyCosts(
  sources: CostSources,
  groupBy: CostGroupBy,
  from: Date,
  to: Date,
): Omit<VaultCosts, "vault_id"> {
  const total = emptyTally();
  const groups = new Map<string, Tally>();
  if (groupBy === "day") {
    for (let day = Date.parse(dayOf(from.toISOString())); day < to.getTime(); day += DAY_MS) {
      groups.set(dayOf(new Date(day).toISOString()), emptyTally());
    }
  }
  const both = (key: string, apply: (tally: Tally) => void) => {
    apply(total);
    let group = groups.get(key);
    if (group === undefined) {
      group = emptyTally();
      groups.set(key, group);
    }
    apply(group);
  };
  for (const tx of sources.mined) {
    both(keyOf(groupBy, tx.mined_at, tx), (tally) => {
      tally.transactions++;
      if (tx.status === "REVERTED") tally.reverted++;
      if (tx.gas_used === null || tx.effective_gas_price === null) {
        tally.unknown++;
        return;
      }
      const gas = BigInt(tx.gas_used);
      const cost = gas * BigInt(tx.effective_gas_price);
      tally.gas += gas;
      if (tx.status === "REVERTED") tally.wasted += cost;
      else tally.successful += cost;
    });
  }
  for (const attempt of sources.unmined) {
    both(keyOf(groupBy, attempt.created_at, attempt), (tally) => {
      tally.unmined++;
    });
  }
  for (const intent of sources.completed) {
    both(keyOf(groupBy, intent.completed_at, intent), (tally) => {
      tally.completed++;
    });
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    group_by: groupBy,
    unit: "wei",
    totals: figures(total),
    groups: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, tally]): CostGroup => ({ key, ...figures(tally) })),
  };
}

export interface CostService {
  costs(vaultId: string, query: z.output<typeof CostsQuery>): Promise<VaultCosts>;
}

export function createCostService(deps: { db: Kysely<Database>; now: () => Date }): CostService {
  return {
    async costs(vaultId, query) {
      const to = query.to === undefined ? deps.now() : new Date(query.to);
      const from = query.from === undefined ? new Date(to.getTime() - 30 * DAY_MS) : new Date(query.from);
      if (from.getTime() >= to.getTime()) {
        throw new DomainError(ErrorCode.BAD_REQUEST, "`from` must be before `to`");
      }
      if (to.getTime() - from.getTime() > MAX_COST_RANGE_DAYS * DAY_MS) {
        throw new DomainError(ErrorCode.BAD_REQUEST, `The range may cover at most ${MAX_COST_RANGE_DAYS} days`);
      }
      const sources = await costSources(deps.db, vaultId, from.toISOString(), to.toISOString());
      return { vault_id: vaultId, ...tallyCosts(sources, query.group_by, from, to) };
    },
  };
}
