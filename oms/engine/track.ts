import { randomUUID } from "node:crypto";
import type { Address } from "viem";
import type { Fill } from "../../lib/defix";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { HookExecution, MinedReceipt } from "../chain/gateway";
import type { IntentRecord } from "../domain/record";
import {
  attemptReceiptChange,
  attemptStatusChange,
  listAttempts,
  type StoredAttempt,
  setAttemptStatus,
} from "../store/attempts-repo";
import { fillRows, type NewFill } from "../store/fills-repo";
import { commit, commitDurable, knownAttempts, type StepResult } from "./commit";
import type { EngineDeps } from "./deps";
import { attemptPayload, broadcast, signAttempt } from "./execute";
import { executionCall } from "./planner";
import { fillNonceGap, keepAlive, replacementFees } from "./resend";

/**
 * EXECUTING: look for a receipt of any attempt (a replaced one may still be the one that mines);
 * resend what the node lost; replace what sits unmined too long. Ends only in COMPLETED or FAILED.
 */
export async function trackStep(deps: EngineDeps, record: IntentRecord, vault: ManifestVault): Promise<StepResult> {
  const check = await waitingCheck(deps, record);
  if (check.isUnchanged) return check.sleep();
  const { head, poll } = check;
  const attempts = knownAttempts(deps, record) ?? (await listAttempts(deps.db, record.id));
  for (const attempt of [...attempts].reverse()) {
    const receipt = await deps.chain.receipt(attempt.tx_hash, vault.address);
    if (receipt !== null) return finalize(deps, record, vault, attempt, attempts, receipt);
  }
  const latest = attempts.at(-1);
  if (latest === undefined) throw new Error(`intent ${record.id} is EXECUTING without a transaction`);
  if (latest.status === "SIGNED") {
    // Signed and stored but never sent (the process stopped in between): send the same bytes.
    await deps.nonces.serialize(latest.signer, () => broadcast(deps, record, latest));
    return poll;
  }
  const canReplace = attempts.length <= deps.config.maxReplacements;
  if (latest.status === "DROPPED") {
    if (canReplace) return replace(deps, record, vault, attempts, poll);
    // No more fee bumps: keep offering what was signed (see keepAlive).
    await keepAlive(deps, attempts, latest);
    return poll;
  }
  if (!(await deps.chain.isKnown(latest.tx_hash))) {
    const sent = await deps.chain.sendRaw(latest.raw_tx);
    if (sent.kind === "nonce-used") return nonceTaken(deps, record, vault, attempts, latest);
    const payload = {
      tx_hash: latest.tx_hash,
      nonce: latest.nonce,
      resent: sent.kind !== "rejected",
      detail: sent.kind,
      ...(sent.kind === "rejected" ? { reason: sent.message, code: sent.code ?? null } : {}),
    };
    await commit(deps, record, [{ message_type: "TX_DROPPED", payload, execution_id: latest.execution_id }], (trx) =>
      sent.kind === "rejected" ? setAttemptStatus(trx, latest.tx_hash, "DROPPED", deps.clock.now()) : Promise.resolve(),
    );
    return poll;
  }
  await fillNonceGap(deps, latest, head);
  const blocks = head - (latest.broadcast_block ?? 0);
  const ageMs = deps.clock.now().getTime() - Date.parse(latest.created_at);
  if (canReplace && (blocks >= deps.config.replaceAfterBlocks || ageMs >= deps.config.replaceAfterMs)) {
    return replace(deps, record, vault, attempts, poll);
  }
  // Known to the node and only waiting: nothing above can turn out differently before the next block.
  return check.waiting();
}

/** The start of a check of an EXECUTING intent, a transaction's (`trackStep`) or a user operation's. */
export interface WaitingCheck {
  /** The chain head (one read shared by the round while the head is followed). */
  head: number;
  /** Look again after `receiptPollMs`: something is under way (a send, a resend, a receipt being indexed). */
  poll: StepResult;
  /** The last full check saw this head, and nothing was committed to the intent since: nothing can have changed. */
  isUnchanged: boolean;
  /** Nothing to do before a block: poll, or, while the head is followed, sleep to the next full check. */
  sleep(): StepResult;
  /** This full check found only waiting for a block: remembered (a newer head claims the intent early), then sleep. */
  waiting(): StepResult;
}

export async function waitingCheck(deps: EngineDeps, record: IntentRecord): Promise<WaitingCheck> {
  const poll: StepResult = { kind: "wait", delayMs: deps.config.receiptPollMs };
  const watch = deps.receipts;
  const head = watch === undefined ? await deps.chain.blockNumber() : await watch.currentHead();
  const sleep = (): StepResult =>
    watch === undefined
      ? poll
      : { kind: "wait", delayMs: watch.sleepMs(record.id, poll.delayMs, deps.config.replaceAfterMs) };
  const isUnchanged = watch?.isUnchanged(record.id, record.seq_num, head, deps.config.replaceAfterMs) === true;
  if (!isUnchanged) watch?.forget(record.id);
  return {
    head,
    poll,
    isUnchanged,
    sleep,
    waiting() {
      watch?.waiting(record.id, head, record.seq_num);
      return sleep();
    },
  };
}

/**
 * Offers the node the signed attempts of the latest nonce again, newest first, until one is accepted
 * or already held. Used when a new replacement cannot be made: after a fee spike the newest attempt
 * may cost more than the key holds, while an older, cheaper one becomes valid again once the base fee
 * falls. Resending signed bytes is idempotent; a refusal here changes nothing that was recorded.
 */
/**
 * The node says our nonce is used, yet none of our attempts is known: unless one of them mined in
 * the meantime, a transaction the OMS did not sign took the nonce, so this intent can never execute.
 */
async function nonceTaken(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  attempts: readonly StoredAttempt[],
  latest: StoredAttempt,
): Promise<StepResult> {
  for (const attempt of attempts) {
    const receipt = await deps.chain.receipt(attempt.tx_hash, vault.address);
    if (receipt !== null) return finalize(deps, record, vault, attempt, attempts, receipt);
  }
  await deps.nonces.realign(latest.signer);
  const message = `nonce ${latest.nonce} of ${latest.signer} was used by a transaction the OMS did not sign`;
  const failed = {
    message_type: "INTENT_FAILED",
    payload: { error: { code: "EXECUTION_REVERTED", message } },
  } as const;
  const ended = await commit(deps, record, [failed], async (trx) => {
    for (const attempt of attempts) await setAttemptStatus(trx, attempt.tx_hash, "DROPPED", deps.clock.now());
  });
  return { kind: "moved", record: ended };
}

/**
 * Same nonce, higher fees; every attempt is kept and shown as a TX_REPLACED event. When the key cannot
 * pay for any acceptable bump (a gas spike), no attempt is signed: the ones already signed are kept
 * alive instead, and the intent stays EXECUTING until one of them mines.
 */
async function replace(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  attempts: readonly StoredAttempt[],
  poll: StepResult,
): Promise<StepResult> {
  const plan = record.plan;
  const latest = attempts.at(-1);
  if (latest === undefined) return poll;
  // Readiness withholds the signer while the key cannot pay gas (INSUFFICIENT_GAS), so a nonce the
  // node refused for missing funds is not re-signed with ever higher fees; it resumes once funded.
  // Only the key that signed the nonce can replace it; after a rotation the original is kept alive.
  const signer = await deps.keys.signerFor(record.vault_id);
  const fees =
    plan === null || signer === null || signer.address.toLowerCase() !== latest.signer
      ? null
      : await replacementFees(deps, attempts, latest, BigInt(plan.gas_limit));
  if (fees === null || plan === null || signer === null) {
    await keepAlive(deps, attempts, latest);
    return poll;
  }
  await deps.nonces.serialize(latest.signer, async () => {
    let next: StoredAttempt | undefined;
    const replaced = await commitDurable(deps, record, async (trx) => {
      if (latest.status !== "DROPPED") await setAttemptStatus(trx, latest.tx_hash, "REPLACED", deps.clock.now());
      next = await signAttempt(deps, trx, {
        record,
        vault,
        plan,
        signer,
        fees,
        executionId: latest.execution_id,
        nonce: latest.nonce,
      });
      const payload = { ...attemptPayload(next), replaced_tx_hash: latest.tx_hash };
      return [{ message_type: "TX_REPLACED", payload, execution_id: latest.execution_id }];
    });
    if (next !== undefined) await broadcast(deps, replaced, next);
  });
  return poll;
}

export function venueOf(deps: EngineDeps, execution: HookExecution): string {
  const isDeposit = execution.hook.toLowerCase() === deps.manifest.contracts.hooks.deposit4626;
  const source = (isDeposit ? execution.tokenOut : execution.tokenIn).toLowerCase();
  return deps.manifest.contracts.yield_sources.find((ys) => ys.address === source)?.name ?? source;
}

async function finalize(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  mined: StoredAttempt,
  attempts: readonly StoredAttempt[],
  receipt: MinedReceipt,
): Promise<StepResult> {
  const isSuccess = receipt.status === "success";
  let failure: string | null = null;
  if (!isSuccess && record.plan !== null) {
    const call = executionCall(deps.manifest, vault, mined.signer as Address, record.plan);
    const reason = await deps.chain.revertReason(call.from, call.to, call.data, receipt.blockNumber);
    failure = `transaction reverted on-chain: ${reason?.message ?? "reason unknown"}`;
  }
  const fills: NewFill[] = receipt.hookExecutions.map((execution) => ({
    intent_id: record.id,
    tx_hash: mined.tx_hash,
    chain_id: deps.chain.chainId,
    log_index: execution.logIndex,
    amount_in: execution.amountIn.toString(),
    amount_out: execution.amountOut.toString(),
    token_in: execution.tokenIn.toLowerCase(),
    token_out: execution.tokenOut.toLowerCase(),
    venue: venueOf(deps, execution),
    gas_used: receipt.gasUsed,
    block_number: receipt.blockNumber,
    mined_at: receipt.minedAt,
  }));
  const fillIds = fills.map(() => randomUUID());
  const at = deps.clock.now();
  const execution_id = mined.execution_id;
  const minedPayload = {
    tx_hash: mined.tx_hash,
    nonce: mined.nonce,
    block_number: receipt.blockNumber,
    gas_used: receipt.gasUsed,
    status: receipt.status,
    mined_at: receipt.minedAt,
  };
  const fillEvents = fills.map((fill, i) => {
    const { log_index: _l, ...wire } = fill;
    const payload: Fill = { ...wire, fill_id: fillIds[i] ?? "" } as Fill;
    return { message_type: "FILL_RECORDED" as const, payload: { ...payload }, execution_id };
  });
  const end =
    failure === null
      ? { message_type: "INTENT_COMPLETED" as const, payload: { tx_hash: mined.tx_hash, gas_used: receipt.gasUsed } }
      : {
          message_type: "INTENT_FAILED" as const,
          payload: { error: { code: "EXECUTION_REVERTED", message: failure }, tx_hash: mined.tx_hash },
        };
  const events = [
    { message_type: "TX_MINED" as const, payload: minedPayload, execution_id },
    ...fillEvents,
    { ...end, execution_id },
  ];
  // The receipt exists, so the chain already holds the new budget use and balances: no readiness read from
  // here on may be served from before it.
  deps.keys.executionMined(record.vault_id);
  const ended = await commit(deps, record, events, {
    attempts: [
      ...attempts
        .filter((attempt) => attempt.tx_hash !== mined.tx_hash)
        .map((attempt) => attemptStatusChange(attempt.tx_hash, "REPLACED", at)),
      attemptReceiptChange(mined.tx_hash, isSuccess ? "MINED" : "REVERTED", at, receipt),
    ],
    fills: fillRows(fills, fillIds, at),
  });
  return { kind: "moved", record: ended };
}
