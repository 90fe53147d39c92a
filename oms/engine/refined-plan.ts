import type { Address } from "viem";
import {
  REFINEMENT_TOLERANCE_BPS,
  type Refinement,
  type RefinementFreshness,
  type VaultStateReading,
} from "../../lib/defix/refinements";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { Clock } from "../domain/clock";
import type { SizeEnv } from "../domain/size-expr";
import { type PlannerDeps, type PlanOutcome, simulatePlan } from "./planner";

const FIGURES = ["vault_free_assets", "vault_total_assets", "position_assets", "position_shares"] as const;

export function vaultStateReading(env: SizeEnv, hooksRoot: string): VaultStateReading {
  return {
    vault_free_assets: env.vault_free_assets.toString(),
    vault_total_assets: env.vault_total_assets.toString(),
    position_assets: env.position_assets.toString(),
    position_shares: env.position_shares.toString(),
    hooks_root: hooksRoot as VaultStateReading["hooks_root"],
  };
}

/** A figure moved beyond the tolerance: relative to the refined value; away from zero always counts. */
function movedBeyond(refined: bigint, now: bigint, toleranceBps: number): boolean {
  if (refined === 0n) return now !== 0n;
  const delta = now > refined ? now - refined : refined - now;
  return delta * 10_000n > BigInt(toleranceBps) * refined;
}

/**
 * Whether the vault state a refinement read still holds at the head block: the hooks root unchanged and
 * each figure (free assets, total assets, the target position's assets and shares) within
 * REFINEMENT_TOLERANCE_BPS of what was read. A refinement that never read the vault is never fresh.
 */
export async function refinementFreshness(
  deps: PlannerDeps & { clock: Clock },
  refinement: Refinement,
  vault: ManifestVault,
): Promise<RefinementFreshness> {
  const now = deps.clock.now();
  const head = await deps.chain.blockNumber();
  const base = {
    is_expired: now.getTime() >= Date.parse(refinement.expires_at),
    head_block: head,
    checked_at: now.toISOString(),
    tolerance_bps: REFINEMENT_TOLERANCE_BPS,
  };
  const refined = refinement.vault_state;
  const target = refinement.calls[0]?.yield_source;
  if (refined === null || target === undefined) return { ...base, is_fresh: false, changed: [] };
  const block = BigInt(head);
  const [root, env] = await Promise.all([
    deps.chain.hooksRoot(vault.address, block),
    deps.chain.vaultState(vault.address, target as Address, block),
  ]);
  const current = vaultStateReading(env, root);
  const changed: { field: string; refined: string; now: string }[] = FIGURES.filter((field) =>
    movedBeyond(BigInt(refined[field]), BigInt(current[field]), REFINEMENT_TOLERANCE_BPS),
  ).map((field) => ({ field, refined: refined[field], now: current[field] }));
  if (root.toLowerCase() !== refined.hooks_root.toLowerCase()) {
    changed.push({ field: "hooks_root", refined: refined.hooks_root, now: root });
  }
  return { ...base, is_fresh: changed.length === 0 && !base.is_expired, changed };
}

/**
 * The plan of the refinement an intent was submitted with, executed exactly: refused (FAILED
 * REFINEMENT_STALE) when the vault's state moved beyond the tolerance since, else the same arrays are
 * simulated again at the head (a revert fails the intent like any plan) and the stored plan, gas limit
 * included, is what gets signed.
 */
export async function planFromRefinement(
  deps: PlannerDeps & { clock: Clock },
  refinement: Refinement & { plan: NonNullable<Refinement["plan"]> },
  vault: ManifestVault,
  signer: Address,
): Promise<PlanOutcome> {
  const freshness = await refinementFreshness(deps, refinement, vault);
  const stale = freshness.changed;
  const { plan } = refinement;
  if (stale.length > 0) {
    const what = stale.map((change) => `${change.field} ${change.refined} → ${change.now}`).join(", ");
    const message = `refinement ${refinement.refinement_id} is stale: ${what} (tolerance ${REFINEMENT_TOLERANCE_BPS} bps)`;
    return {
      env: null,
      draft: plan,
      ok: false,
      failure: { state: "FAILED", code: "REFINEMENT_STALE", message, revert: null },
    };
  }
  const simulated = await simulatePlan(deps, vault, signer, plan, null);
  return simulated.ok ? { ...simulated, plan } : simulated;
}
