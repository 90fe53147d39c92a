import { randomUUID } from "node:crypto";
import { getAddress, type LocalAccount } from "viem";
import type { Fill, Plan } from "../../lib/defix";
import { type ManifestVault, sessionKeyHolder } from "../../lib/deployment/manifest";
import {
  aaCodeOf,
  bundlerMessage,
  nonceKeyOf,
  type SignedUserOp,
  type UserOpGateway,
  type UserOpReceipt,
} from "../chain/user-ops";
import type { IntentRecord } from "../domain/record";
import {
  insertAttempt,
  listAttempts,
  recordAttemptReceipt,
  recordUserOpInclusion,
  type StoredAttempt,
  setAttemptStatus,
} from "../store/attempts-repo";
import { insertFills, type NewFill } from "../store/fills-repo";
import { commit, commitDurable, finish, type StepResult } from "./commit";
import type { EngineDeps } from "./deps";
import { executionCall } from "./planner";
import { waitForFees } from "./steps";
import { venueOf, waitingCheck } from "./track";
import { decodeOp, isRefusal, signOp, userOpAttempt, userOpPayload } from "./user-op-attempt";
import { resendOrEnd } from "./user-op-resend";

/**
 * The two ERC-4337 modes (docs/ARCHITECTURE.md, "Account modes"): the plan runs as one user operation of the
 * vault's account (`key_holder`), signed by the session key and handed to the bundler. The attempt's `tx_hash` is
 * the userOpHash, its `raw_tx` the signed op (the bundler JSON-RPC form, hex-encoded JSON) so a restart resends the
 * same op; its nonce is sequence 0 of the intent's own nonce key (`nonceKeyOf`), so the op executes at most once.
 */

const VERIFICATION_GAS = 500_000n;
const PRE_VERIFICATION_GAS = 100_000n;

const userOps = (deps: EngineDeps): UserOpGateway | null => deps.userOps ?? null;

const rejected = (deps: EngineDeps, record: IntentRecord, message: string) => {
  const code = aaCodeOf(message);
  const text = `the bundler refused the user operation${code ? ` (${code})` : ""}: ${message}`;
  return finish(deps, record, "INTENT_FAILED", "USER_OP_REJECTED", text);
};

/** PLANNED → EXECUTING for a 4337 vault: estimate, sign, store, then send to the bundler. */
export async function executeUserOpStep(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  plan: Plan,
  signer: LocalAccount,
): Promise<StepResult> {
  const gateway = userOps(deps);
  if (gateway === null) {
    return finish(deps, record, "INTENT_FAILED", "ACCOUNT_MODE_UNSUPPORTED", "this OMS has no bundler (BUNDLER_URL)");
  }
  const sender = getAddress(sessionKeyHolder(deps.manifest, vault));
  const call = executionCall(deps.manifest, vault, signer.address, plan);
  const fees = await deps.chain.fees();
  const draft: SignedUserOp = {
    sender,
    nonce: await gateway.nonce(sender, nonceKeyOf(record.id)),
    callData: call.data,
    callGasLimit: BigInt(plan.gas_limit),
    verificationGasLimit: VERIFICATION_GAS,
    preVerificationGas: PRE_VERIFICATION_GAS,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    signature: "0x",
  };
  let gas: Awaited<ReturnType<UserOpGateway["estimate"]>>;
  try {
    // A well-formed signature of the draft: the estimate's validation recovers a key (not ours: the gas changes).
    gas = await gateway.estimate(await signOp(signer, gateway, draft));
  } catch (error) {
    if (isRefusal(error)) return rejected(deps, record, bundlerMessage(error));
    throw error;
  }
  const totalGas = gas.callGasLimit + gas.verificationGasLimit + gas.preVerificationGas;
  const cap = deps.config.maxFeePerTxWei;
  const maxCost = totalGas * fees.maxFeePerGas;
  if (cap !== null && maxCost > cap) return waitForFees(deps, record, maxCost, cap);
  const op = await signOp(signer, gateway, { ...draft, ...gas, callGasLimit: bigMaxOf(gas.callGasLimit, draft) });
  const executionId = randomUUID();
  const attempt = userOpAttempt(deps, record, gateway, op, executionId);
  const payload = userOpPayload(attempt, op, signer.address);
  const executing = await commitDurable(deps, record, async (trx) => {
    await insertAttempt(trx, attempt, deps.clock.now());
    return [
      { message_type: "TX_SIGNED", payload: { ...payload, gas_limit: totalGas.toString() }, execution_id: executionId },
      { message_type: "INTENT_EXECUTING", payload, execution_id: executionId },
    ];
  });
  return { kind: "moved", record: await sendOp(deps, gateway, executing, attempt) };
}

/** The plan's simulated call gas is a floor: a bundler estimate below it would run the hooks out of gas. */
const bigMaxOf = (estimate: bigint, draft: SignedUserOp): bigint =>
  estimate > draft.callGasLimit ? estimate : draft.callGasLimit;

/** Hands the stored op to the bundler; a refusal ends the intent (nothing reached the chain). */
async function sendOp(
  deps: EngineDeps,
  gateway: UserOpGateway,
  record: IntentRecord,
  attempt: StoredAttempt,
): Promise<IntentRecord> {
  const sent = await gateway.send(decodeOp(attempt.raw_tx));
  const at = deps.clock.now();
  if (sent.kind === "rejected") {
    // A restart may resend an op the bundler already holds or included (refused as a duplicate or AA25):
    // that op is ours and still counts; only an op the bundler does not know was really refused.
    if (!(await gateway.isKnown(attempt.tx_hash))) {
      await setAttemptStatus(deps.db, attempt.tx_hash, "DROPPED", at);
      const ended = await rejected(deps, record, sent.message);
      return ended.kind === "moved" ? ended.record : record;
    }
  }
  const block = await deps.chain.blockNumber();
  const payload = {
    tx_hash: attempt.tx_hash,
    user_op_hash: attempt.tx_hash,
    nonce: attempt.nonce,
    block_number: block,
    node: "bundler",
  };
  return commit(deps, record, [{ message_type: "TX_BROADCAST", payload, execution_id: attempt.execution_id }], (trx) =>
    setAttemptStatus(trx, attempt.tx_hash, "BROADCAST", at, block),
  );
}

/**
 * EXECUTING for a 4337 vault: wait for the UserOperationEvent of any of its ops (a resent one may not be the one
 * included); send an op stored but never sent; resend one the bundler sat on or dropped, or end at the deadline.
 */
export async function trackUserOpStep(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
): Promise<StepResult> {
  const gateway = userOps(deps);
  if (gateway === null) throw new Error(`intent ${record.id} executes a user operation but this OMS has no bundler`);
  // An op is included in a block: until a new head (or the next full check) there is nothing new to ask the bundler.
  const check = await waitingCheck(deps, record);
  if (check.isUnchanged) return check.sleep();
  const attempts = await listAttempts(deps.db, record.id);
  for (const attempt of [...attempts].reverse()) {
    const receipt = await gateway.receipt(attempt.tx_hash, vault.address);
    if (receipt !== null) return finalizeUserOp(deps, record, attempt, receipt);
  }
  const latest = attempts.at(-1);
  if (latest === undefined) throw new Error(`intent ${record.id} is EXECUTING without a user operation`);
  if (latest.status === "SIGNED" && attempts.length === 1) {
    return { kind: "moved", record: await sendOp(deps, gateway, record, latest) };
  }
  return resendOrEnd(deps, gateway, record, attempts, check);
}

async function finalizeUserOp(
  deps: EngineDeps,
  record: IntentRecord,
  attempt: StoredAttempt,
  receipt: UserOpReceipt,
): Promise<StepResult> {
  const gasUsed = Number(receipt.actualGasUsed);
  const execution_id = attempt.execution_id;
  const fills: NewFill[] = receipt.hookExecutions.map((execution) => ({
    intent_id: record.id,
    tx_hash: receipt.bundleTxHash,
    chain_id: deps.chain.chainId,
    log_index: execution.logIndex,
    amount_in: execution.amountIn.toString(),
    amount_out: execution.amountOut.toString(),
    token_in: execution.tokenIn.toLowerCase(),
    token_out: execution.tokenOut.toLowerCase(),
    venue: venueOf(deps, execution),
    gas_used: gasUsed,
    block_number: receipt.blockNumber,
    mined_at: receipt.minedAt,
  }));
  const fillIds = fills.map(() => randomUUID());
  const userOp = {
    user_op_hash: attempt.tx_hash,
    actual_gas_cost: receipt.actualGasCost.toString(),
    actual_gas_used: receipt.actualGasUsed.toString(),
    success: receipt.success,
  };
  const mined = {
    ...userOp,
    tx_hash: receipt.bundleTxHash,
    nonce: attempt.nonce,
    block_number: receipt.blockNumber,
    gas_used: gasUsed,
    status: receipt.success ? ("success" as const) : ("reverted" as const),
    mined_at: receipt.minedAt,
  };
  const fillEvents = fills.map((fill, i) => {
    const { log_index: _l, ...wire } = fill;
    const payload: Fill = { ...wire, fill_id: fillIds[i] ?? "" } as Fill;
    return { message_type: "FILL_RECORDED" as const, payload: { ...payload }, execution_id };
  });
  const failure = `the user operation was included but its execution reverted (UserOperationEvent success = false): ${receipt.reason ?? "reason unknown"}; the account paid ${receipt.actualGasCost} wei`;
  const end = receipt.success
    ? {
        message_type: "INTENT_COMPLETED" as const,
        payload: { ...userOp, tx_hash: receipt.bundleTxHash, gas_used: gasUsed },
      }
    : {
        message_type: "INTENT_FAILED" as const,
        payload: { ...userOp, error: { code: "EXECUTION_REVERTED", message: failure }, tx_hash: receipt.bundleTxHash },
      };
  const at = deps.clock.now();
  const events = [
    { message_type: "TX_MINED" as const, payload: mined, execution_id },
    ...fillEvents,
    { ...end, execution_id },
  ];
  // The receipt exists, so the chain already holds the new budget use and balances: no readiness read from
  // here on may be served from before it.
  deps.keys.executionMined(record.vault_id);
  const ended = await commit(deps, record, events, async (trx) => {
    // gas_used × effective price = what the account paid (v0.8: actualGasCost = actualGas × gas price).
    const price = receipt.actualGasUsed === 0n ? 0n : receipt.actualGasCost / receipt.actualGasUsed;
    await recordAttemptReceipt(trx, attempt.tx_hash, receipt.success ? "MINED" : "REVERTED", at, {
      gasUsed,
      effectiveGasPriceWei: price,
      blockNumber: receipt.blockNumber,
      minedAt: receipt.minedAt,
    });
    await recordUserOpInclusion(trx, attempt.tx_hash, receipt);
    await insertFills(trx, fills, fillIds, at);
  });
  return { kind: "moved", record: ended };
}
