import { type Address, getAddress, maxUint256 } from "viem";
import type { Plan } from "../../lib/defix";
import { type ManifestVault, sessionKeyHolder } from "../../lib/deployment/manifest";
import type { DecodedRevert } from "../chain/gateway";
import type { IntentRecord } from "../domain/record";
import { commit, type StepResult, waitDelay } from "./commit";
import type { EngineDeps } from "./deps";

/**
 * On-chain limits (issue 20): a paused vault or an exhausted budget makes the intent wait (one WAITING event per
 * wait) instead of broadcasting a transaction the executor would revert. It goes on once the primary manager
 * unpauses or the budget refills.
 */

export const PAUSED = "PAUSED";
export const BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";
type LimitWait = typeof PAUSED | typeof BUDGET_EXHAUSTED;

const isoFromChain = (seconds: bigint): string | null =>
  seconds > 0n ? new Date(Number(seconds) * 1000).toISOString() : null;

export async function waitForLimit(
  deps: EngineDeps,
  record: IntentRecord,
  reason: LimitWait,
  details: { hook?: string; refill_at?: string | null } = {},
): Promise<StepResult> {
  let current = record;
  if (record.waiting_reason !== reason) {
    const message =
      reason === PAUSED
        ? "the vault's automation is paused on-chain; waiting for the primary manager to unpause"
        : `the on-chain budget of hook ${details.hook} has no room for this execution; waiting until it refills${details.refill_at ? ` (whole again at ${details.refill_at})` : ""}`;
    current = await commit(deps, record, [{ message_type: "WAITING", payload: { reason, message, ...details } }]);
  }
  return { kind: "wait", delayMs: waitDelay(deps, current, deps.config.waitRetryMs) };
}

/** A simulation that reverted because of a limit waits instead of failing the intent. */
export function limitOfRevert(
  revert: DecodedRevert,
): { reason: LimitWait; hook?: string; refill_at?: string | null } | null {
  if (revert.name === "VaultPaused") return { reason: PAUSED };
  if (revert.name !== "BudgetExceeded") return null;
  const [, hook, , , , refillAt] = revert.args;
  return {
    reason: BUDGET_EXHAUSTED,
    hook: hook?.toLowerCase(),
    refill_at: refillAt ? isoFromChain(BigInt(refillAt)) : null,
  };
}

/** What each hook of the plan will spend: amount and executions; a "previous output" leg at its simulated input. */
export function planSpend(plan: Plan): Map<Address, { amount: bigint; executions: bigint }> {
  const spend = new Map<Address, { amount: bigint; executions: bigint }>();
  plan.hooks.forEach((hook, i) => {
    const requested = BigInt(plan.amounts[i] ?? "0");
    const amount = requested === maxUint256 ? BigInt(plan.simulated_outputs[i - 1] ?? "0") : requested;
    const key = getAddress(hook);
    const sum = spend.get(key) ?? { amount: 0n, executions: 0n };
    spend.set(key, { amount: sum.amount + amount, executions: sum.executions + 1n });
  });
  return spend;
}

/**
 * Right before signing: a fresh read of the pause and of each hook's budget room (readiness is cached for
 * seconds, and the plan may be older than the last execution). Null when the plan fits.
 */
export async function limitsWait(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  plan: Plan,
): Promise<StepResult | null> {
  if (deps.chain.limits === undefined) return null;
  const spend = planSpend(plan);
  // Budgets live on the vault's key holder in its mode (executor, vault account, companion or 7702 EOA).
  const holder = sessionKeyHolder(deps.manifest, vault) as Address;
  const limits = await deps.chain.limits(holder, vault.strategy as Address, [...spend.keys()]);
  if (limits.paused) return waitForLimit(deps, record, PAUSED);
  for (const room of limits.budgets) {
    const wanted = spend.get(getAddress(room.hook));
    if (wanted === undefined) continue;
    if (wanted.amount > room.remainingAmount || wanted.executions > room.remainingExecutions) {
      const details = { hook: room.hook.toLowerCase(), refill_at: isoFromChain(room.refillAt) };
      return waitForLimit(deps, record, BUDGET_EXHAUSTED, details);
    }
  }
  return null;
}
