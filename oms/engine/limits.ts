import { randomUUID } from "node:crypto";
import { type Address, getAddress, maxUint256 } from "viem";
import type { Plan } from "../../lib/defix";
import { type ManifestVault, sessionKeyHolder } from "../../lib/deployment/manifest";
import type { ChainLimits, DecodedRevert } from "../chain/gateway";
import type { IntentRecord } from "../domain/record";
import { executingPlans } from "../store/in-flight-repo";
import { releaseLease, takeLease } from "../store/leases";
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

/** Spend of `extra` plans added up per hook (the vault's other in-flight intents). */
function reservedSpend(plans: readonly Plan[]): Map<Address, { amount: bigint; executions: bigint }> {
  const total = new Map<Address, { amount: bigint; executions: bigint }>();
  for (const plan of plans) {
    for (const [hook, spend] of planSpend(plan)) {
      const sum = total.get(hook) ?? { amount: 0n, executions: 0n };
      total.set(hook, { amount: sum.amount + spend.amount, executions: sum.executions + spend.executions });
    }
  }
  return total;
}

const isLimited = (room: ChainLimits["budgets"][number]) =>
  room.remainingAmount !== maxUint256 || room.remainingExecutions !== maxUint256;

/** The first hook whose room (after `reserved`) is smaller than what the plan wants, or null. */
function overBudget(
  limits: ChainLimits,
  spend: Map<Address, { amount: bigint; executions: bigint }>,
  reserved: Map<Address, { amount: bigint; executions: bigint }>,
): { hook: string; refill_at: string | null } | null {
  for (const room of limits.budgets) {
    const hook = getAddress(room.hook);
    const wanted = spend.get(hook);
    if (wanted === undefined) continue;
    const held = reserved.get(hook) ?? { amount: 0n, executions: 0n };
    const amountLeft = room.remainingAmount === maxUint256 ? maxUint256 : room.remainingAmount - held.amount;
    const executionsLeft =
      room.remainingExecutions === maxUint256 ? maxUint256 : room.remainingExecutions - held.executions;
    if (wanted.amount > amountLeft || wanted.executions > executionsLeft) {
      return { hook: hook.toLowerCase(), refill_at: isoFromChain(room.refillAt) };
    }
  }
  return null;
}

/** One budget decision (read the room, sign, commit EXECUTING) per vault at a time in this process. */
const vaultQueues = new Map<string, Promise<unknown>>();
function oneAtATime<T>(vaultId: string, task: () => Promise<T>): Promise<T> {
  const previous = vaultQueues.get(vaultId) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  vaultQueues.set(vaultId, settled);
  void settled.then(() => {
    if (vaultQueues.get(vaultId) === settled) vaultQueues.delete(vaultId);
  });
  return run;
}

/**
 * Right before signing: a fresh read of the pause and of each hook's budget room (readiness is cached for
 * seconds, and the plan may be older than the last execution), less what the vault's other EXECUTING intents will
 * spend — the in-flight reservation: they are signed but not yet in the on-chain state, so N intents planned
 * against a budget of k cannot all go out and revert. A budgeted plan's check and its commit to EXECUTING
 * (`proceed`, which stores the signed attempt durably) run one per vault at a time, so two cannot both take the
 * last room; an intent that reaches the chain is released when it ends (terminal: no longer EXECUTING). A mined
 * but not yet completed intent counts twice for a moment: the next one waits a retry longer, never reverts.
 */
export async function withinLimits(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  plan: Plan,
  proceed: () => Promise<StepResult>,
): Promise<StepResult> {
  const read = deps.chain.limits;
  if (read === undefined) return proceed();
  const spend = planSpend(plan);
  // Budgets live on the vault's key holder in its mode (executor, vault account, companion or 7702 EOA).
  const holder = sessionKeyHolder(deps.manifest, vault) as Address;
  const strategy = vault.strategy as Address;
  const hooks = [...spend.keys()];
  const first = await read(holder, strategy, hooks);
  if (first.paused) return waitForLimit(deps, record, PAUSED);
  // Unbudgeted hooks need no reservation: no lock, no extra read.
  if (!first.budgets.some((room) => spend.has(getAddress(room.hook)) && isLimited(room))) return proceed();
  return oneAtATime(vault.vault_id, async () => {
    // Other OMS processes on the same database reserve against the same room: one of them at a time per vault.
    const lease = `budget:${vault.vault_id}`;
    const isHeld = await takeLease(deps.db, {
      name: lease,
      owner: PROCESS_OWNER,
      now: deps.clock.now(),
      leaseMs: LEASE_MS,
    });
    if (!isHeld) return { kind: "wait", delayMs: LEASE_RETRY_MS };
    try {
      const [limits, inFlight] = await Promise.all([
        read(holder, strategy, hooks),
        executingPlans(deps.db, vault.vault_id, record.id),
      ]);
      if (limits.paused) return await waitForLimit(deps, record, PAUSED);
      const blocked = overBudget(limits, spend, reservedSpend(inFlight));
      if (blocked !== null) return await waitForLimit(deps, record, BUDGET_EXHAUSTED, blocked);
      return await proceed();
    } finally {
      await releaseLease(deps.db, lease, PROCESS_OWNER);
    }
  });
}

/** This process's name on the budget leases; a lease outlives a dead holder by at most LEASE_MS. */
const PROCESS_OWNER = `oms-${randomUUID()}`;
const LEASE_MS = 30_000;
const LEASE_RETRY_MS = 50;
