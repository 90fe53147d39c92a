import { randomUUID } from "node:crypto";
import { type Address, formatEther, type LocalAccount } from "viem";
import type { Plan } from "../../lib/defix";
import { type ManifestVault, sessionKeyHolder } from "../../lib/deployment/manifest";
import type { Fees, SendOutcome } from "../chain/gateway";
import { signExecutionTx } from "../chain/signing";
import type { NewEvent } from "../domain/new-event";
import type { IntentRecord } from "../domain/record";
import { attemptStatusChange, insertAttempt, type StoredAttempt } from "../store/attempts-repo";
import type { Tx } from "../store/intents-repo";
import { commit, noteAttempts, type StepResult } from "./commit";
import type { EngineDeps } from "./deps";
import { withinLimits } from "./limits";
import { executeHooksCalldata, isUserOpMode } from "./planner";
import { signerOrWait, waitForFees, waitForKey } from "./steps";
import { executeUserOpStep } from "./user-op";

interface SignInput {
  record: IntentRecord;
  vault: ManifestVault;
  plan: Plan;
  signer: LocalAccount;
  fees: Fees;
  executionId: string;
  /** Replacement: reuse this nonce instead of allocating one. */
  nonce?: number;
}

/** Signs with `nonce`: the attempt as it will be stored (SIGNED). No database work. */
export async function signTransaction(deps: EngineDeps, input: SignInput & { nonce: number }): Promise<StoredAttempt> {
  const { raw, hash } = await signExecutionTx(input.signer, {
    chainId: deps.chain.chainId,
    // The session key calls its key holder: the executor (OMS) or the delegated strategy EOA (EIP7702).
    to: sessionKeyHolder(deps.manifest, input.vault),
    data: executeHooksCalldata(input.vault.strategy, input.plan),
    gas: BigInt(input.plan.gas_limit),
    nonce: input.nonce,
    fees: input.fees,
  });
  return {
    tx_hash: hash,
    intent_id: input.record.id,
    execution_id: input.executionId,
    chain_id: deps.chain.chainId,
    signer: input.signer.address.toLowerCase(),
    nonce: input.nonce,
    max_fee_per_gas: input.fees.maxFeePerGas,
    max_priority_fee_per_gas: input.fees.maxPriorityFeePerGas,
    raw_tx: raw,
    status: "SIGNED",
    broadcast_block: null,
    created_at: deps.clock.now().toISOString(),
  };
}

/** Allocates (or reuses) the nonce, signs and stores the attempt, all inside the caller's transaction. */
export async function signAttempt(deps: EngineDeps, trx: Tx, input: SignInput): Promise<StoredAttempt> {
  const nonce = input.nonce ?? (await deps.nonces.allocate(trx, input.signer.address.toLowerCase()));
  const attempt = await signTransaction(deps, { ...input, nonce });
  await insertAttempt(trx, attempt, deps.clock.now());
  return attempt;
}

export const attemptPayload = (attempt: StoredAttempt) => ({
  tx_hash: attempt.tx_hash,
  nonce: attempt.nonce,
  signer: attempt.signer,
  max_fee_per_gas: attempt.max_fee_per_gas.toString(),
  max_priority_fee_per_gas: attempt.max_priority_fee_per_gas.toString(),
});

/**
 * PLANNED → EXECUTING. The signed transaction, its nonce and the state change commit together
 * BEFORE the broadcast: if this process dies right after, a restart resends the same bytes.
 */
export async function executeStep(deps: EngineDeps, record: IntentRecord, vault: ManifestVault): Promise<StepResult> {
  const plan = record.plan;
  if (plan === null) throw new Error(`intent ${record.id} is PLANNED without a plan`);
  const outcome = await signerOrWait(deps, record);
  if ("result" in outcome) return outcome.result;
  const { signer } = outcome;
  return withinLimits(deps, record, vault, plan, () =>
    // The 4337 modes: the account pays from its EntryPoint deposit and the EntryPoint keeps the nonce.
    isUserOpMode(vault)
      ? executeUserOpStep(deps, record, vault, plan, signer)
      : executeTransactionStep(deps, record, vault, plan, signer),
  );
}

/** OMS and EIP7702: the session key signs a transaction to its key holder; fee cap and gas money first. */
async function executeTransactionStep(
  deps: EngineDeps,
  record: IntentRecord,
  vault: ManifestVault,
  plan: Plan,
  signer: LocalAccount,
): Promise<StepResult> {
  await deps.nonces.ensure(signer.address);
  const fees = await deps.chain.fees();
  const cap = deps.config.maxFeePerTxWei;
  const maxCost = BigInt(plan.gas_limit) * fees.maxFeePerGas;
  if (cap !== null && maxCost > cap) return waitForFees(deps, record, maxCost, cap);
  // Readiness is cached for seconds; a fee spike in between can make this transaction cost more than
  // the key holds. The node would refuse it and its nonce would block every later one: wait instead.
  if (deps.chain.balance !== undefined) {
    const balance = await deps.chain.balance(signerAddress(signer));
    if (balance < maxCost) {
      return waitForKey(
        deps,
        record,
        "INSUFFICIENT_GAS",
        `INSUFFICIENT_GAS: the key holds ${formatEther(balance)} ETH, this transaction may cost up to ${formatEther(maxCost)} ETH at the current gas price`,
      );
    }
  }
  const executionId = randomUUID();
  // The signer's nonce lane is held for the signing commit and the send only (nonce order on the node);
  // recording the outcome needs no lane, so the next intent of this signer need not wait for it.
  // Intents of this signer waiting meanwhile are signed and committed in the same turn (see SigningLanes).
  const signed = await deps.signing.run(signer.address, {
    deps,
    record,
    sign: async (nonce) => {
      const attempt = await signTransaction(deps, { record, vault, plan, signer, fees, executionId, nonce });
      const payload = attemptPayload(attempt);
      const events: NewEvent[] = [
        { message_type: "TX_SIGNED", payload: { ...payload, gas_limit: plan.gas_limit }, execution_id: executionId },
        { message_type: "INTENT_EXECUTING", payload, execution_id: executionId },
      ];
      return { attempt, events };
    },
    send: async (executing, attempt) => ({ executing, attempt, sent: await deps.chain.sendRaw(attempt.raw_tx) }),
  });
  const sent = await recordSent(deps, signed.executing, signed.attempt, signed.sent);
  // The intent's first and only attempt (EXECUTING is entered once): tracking needs no read, nor the queue written.
  noteAttempts(deps, sent.record, [sent.attempt]);
  return { kind: "moved", record: sent.record };
}

/** Sends the stored bytes and records the outcome as an event. */
export async function broadcast(deps: EngineDeps, record: IntentRecord, attempt: StoredAttempt): Promise<IntentRecord> {
  return (await recordSent(deps, record, attempt, await deps.chain.sendRaw(attempt.raw_tx))).record;
}

/**
 * Records what the node answered to a send; answers the record and the attempt as now stored. Until it is written
 * the attempt stays SIGNED, which a later track step (or a restart) answers by sending the same bytes again: nothing
 * is lost in between.
 */
async function recordSent(
  deps: EngineDeps,
  record: IntentRecord,
  attempt: StoredAttempt,
  sent: SendOutcome,
): Promise<{ record: IntentRecord; attempt: StoredAttempt }> {
  const at = deps.clock.now();
  if (sent.kind === "rejected") {
    // The code lets a reader tell "the key ran out of gas money" from other refusals.
    const payload = { tx_hash: attempt.tx_hash, nonce: attempt.nonce, reason: sent.message, code: sent.code ?? null };
    const dropped = await commit(
      deps,
      record,
      [{ message_type: "TX_DROPPED", payload, execution_id: attempt.execution_id }],
      { attempts: [attemptStatusChange(attempt.tx_hash, "DROPPED", at)], fills: [] },
    );
    return { record: dropped, attempt: { ...attempt, status: "DROPPED" } };
  }
  const block = deps.receipts === undefined ? await deps.chain.blockNumber() : await deps.receipts.currentHead();
  const payload = { tx_hash: attempt.tx_hash, nonce: attempt.nonce, block_number: block, node: sent.kind };
  const broadcasted = await commit(
    deps,
    record,
    [{ message_type: "TX_BROADCAST", payload, execution_id: attempt.execution_id }],
    { attempts: [attemptStatusChange(attempt.tx_hash, "BROADCAST", at, block)], fills: [] },
  );
  return { record: broadcasted, attempt: { ...attempt, status: "BROADCAST", broadcast_block: block } };
}

export const signerAddress = (signer: LocalAccount) => signer.address.toLowerCase() as Address;
