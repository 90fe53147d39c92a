import { z } from "zod";
import type { IntentAction } from "../../lib/defix/intents";

/** What the runner knows about a vault at tick time (read from the chain). */
export interface VaultSnapshot {
  freeAssets: bigint;
  sources: readonly SourceSnapshot[];
}

export interface SourceSnapshot {
  address: `0x${string}`;
  /** Assets one whole share converts to: the only "yield" signal an ERC-4626 source exposes. */
  sharePrice: bigint;
  positionShares: bigint;
  positionAssets: bigint;
}

export const InflowParams = z.object({
  kind: z.literal("INFLOW"),
  /** Deposit only when idle assets exceed this many base units. */
  min_free_assets: z.string().regex(/^[0-9]+$/),
  /** Sent as `size_expr`; the OMS evaluates it against live vault state at planning time. */
  size_expr: z.string().default("vault_free_assets / 4"),
});
export const OutflowParams = z.object({
  kind: z.literal("OUTFLOW"),
  /** Fixed withdrawal in base units, capped by the position it comes from. */
  amount: z.string().regex(/^[0-9]+$/),
});
export const RebalanceParams = z.object({
  kind: z.literal("REBALANCE"),
  /** Move this share of the weakest position: assets / divisor. */
  divisor: z.number().int().min(1).default(2),
  /** Below this many base units a move is not worth the gas. */
  min_amount: z.string().regex(/^[0-9]+$/),
});
export const StrategyParams = z.discriminatedUnion("kind", [InflowParams, OutflowParams, RebalanceParams]);
export type StrategyParams = z.infer<typeof StrategyParams>;

export type Decision =
  | {
      kind: "submit";
      action: IntentAction;
      /** DEPOSIT: where to deposit; WITHDRAWAL and REBALANCE: the source to leave. */
      target: `0x${string}`;
      /** REBALANCE only: the source to move into. */
      destination?: `0x${string}`;
      sizeExpr: string;
    }
  | { kind: "skip"; reason: string };

const skip = (reason: string): Decision => ({ kind: "skip", reason });

function byHighestPrice(a: SourceSnapshot, b: SourceSnapshot): number {
  if (a.sharePrice === b.sharePrice) return a.address.localeCompare(b.address);
  return a.sharePrice > b.sharePrice ? -1 : 1;
}

export function decide(params: StrategyParams, snapshot: VaultSnapshot): Decision {
  if (params.kind === "INFLOW") return decideInflow(params, snapshot);
  if (params.kind === "OUTFLOW") return decideOutflow(params, snapshot);
  return decideRebalance(params, snapshot);
}

function decideInflow(params: z.infer<typeof InflowParams>, snapshot: VaultSnapshot): Decision {
  if (snapshot.freeAssets <= BigInt(params.min_free_assets)) return skip("free assets at or below the threshold");
  const best = [...snapshot.sources].sort(byHighestPrice)[0];
  if (!best) return skip("the vault has no yield source");
  return { kind: "submit", action: "DEPOSIT", target: best.address, sizeExpr: params.size_expr };
}

function decideOutflow(params: z.infer<typeof OutflowParams>, snapshot: VaultSnapshot): Decision {
  const largest = snapshot.sources
    .filter((s) => s.positionAssets > 0n)
    .sort((a, b) => (a.positionAssets === b.positionAssets ? 0 : a.positionAssets > b.positionAssets ? -1 : 1))[0];
  if (!largest) return skip("the vault holds no position to withdraw from");
  const wanted = BigInt(params.amount);
  const size = wanted < largest.positionAssets ? wanted : largest.positionAssets;
  if (size === 0n) return skip("withdrawal amount is zero");
  return { kind: "submit", action: "WITHDRAWAL", target: largest.address, sizeExpr: size.toString() };
}

function decideRebalance(params: z.infer<typeof RebalanceParams>, snapshot: VaultSnapshot): Decision {
  const ranked = [...snapshot.sources].sort(byHighestPrice);
  const best = ranked[0];
  // The weakest source the vault actually holds, scanning from the lowest share price up.
  const weakest = [...ranked].reverse().find((s) => s.positionAssets > 0n);
  if (!best || !weakest) return skip("the vault holds no position to rebalance");
  if (weakest.address === best.address || weakest.sharePrice >= best.sharePrice) {
    return skip("positions already sit in the highest-yield source");
  }
  const size = weakest.positionAssets / BigInt(params.divisor);
  if (size < BigInt(params.min_amount)) return skip("the weakest position is too small to move");
  return {
    kind: "submit",
    action: "REBALANCE",
    target: weakest.address,
    destination: best.address,
    sizeExpr: size.toString(),
  };
}
