import { bumpFees } from "../chain/signing";
import type { UserOpGateway } from "../chain/user-ops";
import type { IntentRecord } from "../domain/record";
import { insertAttempt, type StoredAttempt, setAttemptStatus } from "../store/attempts-repo";
import { commit, commitDurable, finish, isPastDeadline, type StepResult } from "./commit";
import type { EngineDeps } from "./deps";
import type { WaitingCheck } from "./track";
import { decodeOp, signOp, userOpAttempt, userOpPayload } from "./user-op-attempt";

/**
 * A user op sent but not included (docs/ARCHITECTURE.md, "Account modes", resend). A bundler may sit on an op or
 * drop it (restart, eviction, clearing its mempool), and `eth_getUserOperationByHash` does not tell a pending op
 * from a lost one on every bundler, so the OMS goes by time: once the op is overdue and its EntryPoint nonce is
 * still unused, it signs the same op (same nonce key and sequence) with bumped fees and sends it; the bundler
 * replaces a pending one or takes it as new. Only one op of the lane can ever execute, so this never executes
 * twice. At the deadline, with the nonce still unused, the intent ends FAILED `USER_OP_DROPPED`.
 */
export async function resendOrEnd(
  deps: EngineDeps,
  gateway: UserOpGateway,
  record: IntentRecord,
  attempts: readonly StoredAttempt[],
  check: WaitingCheck,
): Promise<StepResult> {
  const { poll } = check;
  const latest = attempts.at(-1);
  if (latest === undefined) return poll;
  if (latest.status === "SIGNED") {
    // A resend signed and stored, then the process stopped before sending it.
    await sendResend(deps, gateway, record, latest);
    return poll;
  }
  // Sent, not overdue: only a block can include it.
  if (!isOverdue(deps, latest, check.head)) return check.waiting();
  const op = decodeOp(latest.raw_tx);
  // A used nonce means one of this intent's ops was included (only its session key signs this lane): the
  // receipt is on its way (the bundler indexes it a moment later).
  if ((await gateway.nonce(op.sender, op.nonce >> 64n)) !== op.nonce) return poll;
  if (isPastDeadline(deps, record)) return dropped(deps, record, attempts, latest);
  const signer = attempts.length > deps.config.maxReplacements ? null : await deps.keys.signerFor(record.vault_id);
  if (signer === null) {
    // No more fee bumps (or no usable key): offer the last signed op again until the deadline.
    if (latest.status === "DROPPED") await sendResend(deps, gateway, record, latest);
    return poll;
  }
  const fees = bumpFees(op, await deps.chain.fees());
  const next = await signOp(signer, gateway, { ...op, ...fees, signature: "0x" });
  const attempt = userOpAttempt(deps, record, gateway, next, latest.execution_id);
  const replaced = await commitDurable(deps, record, async (trx) => {
    if (latest.status !== "DROPPED") await setAttemptStatus(trx, latest.tx_hash, "REPLACED", deps.clock.now());
    await insertAttempt(trx, attempt, deps.clock.now());
    const payload = { ...userOpPayload(attempt, next, signer.address), replaced_tx_hash: latest.tx_hash };
    return [{ message_type: "TX_REPLACED", payload, execution_id: latest.execution_id }];
  });
  await sendResend(deps, gateway, replaced, attempt);
  return poll;
}

/** Overdue: unincluded for `replaceAfterBlocks` blocks or `replaceAfterMs`, whichever comes first. */
function isOverdue(deps: EngineDeps, attempt: StoredAttempt, head: number): boolean {
  const blocks = attempt.broadcast_block === null ? 0 : head - attempt.broadcast_block;
  const ageMs = deps.clock.now().getTime() - Date.parse(attempt.created_at);
  return blocks >= deps.config.replaceAfterBlocks || ageMs >= deps.config.replaceAfterMs;
}

/**
 * Sends a resend. A refusal does not end the intent: an earlier op of the lane may be the one being bundled (a
 * bundler refuses a replacement of an op it is already submitting), so the attempt is marked DROPPED and the
 * receipts of every attempt keep being looked for.
 */
async function sendResend(
  deps: EngineDeps,
  gateway: UserOpGateway,
  record: IntentRecord,
  attempt: StoredAttempt,
): Promise<void> {
  const sent = await gateway.send(decodeOp(attempt.raw_tx));
  const at = deps.clock.now();
  const block = await deps.chain.blockNumber();
  if (sent.kind === "sent") {
    const payload = {
      tx_hash: attempt.tx_hash,
      user_op_hash: attempt.tx_hash,
      nonce: attempt.nonce,
      block_number: block,
      node: "bundler",
      resent: true,
    };
    await commit(deps, record, [{ message_type: "TX_BROADCAST", payload, execution_id: attempt.execution_id }], (trx) =>
      setAttemptStatus(trx, attempt.tx_hash, "BROADCAST", at, block),
    );
    return;
  }
  const payload = {
    tx_hash: attempt.tx_hash,
    nonce: attempt.nonce,
    resent: false,
    reason: sent.message,
    code: sent.code,
  };
  await commit(deps, record, [{ message_type: "TX_DROPPED", payload, execution_id: attempt.execution_id }], (trx) =>
    setAttemptStatus(trx, attempt.tx_hash, "DROPPED", at),
  );
}

async function dropped(
  deps: EngineDeps,
  record: IntentRecord,
  attempts: readonly StoredAttempt[],
  latest: StoredAttempt,
): Promise<StepResult> {
  const message = `the bundler never included the user operation (${attempts.length} sent, the last ${latest.tx_hash}) before the deadline; its EntryPoint nonce is unused, so nothing executed`;
  for (const attempt of attempts) {
    if (attempt.status !== "DROPPED") await setAttemptStatus(deps.db, attempt.tx_hash, "DROPPED", deps.clock.now());
  }
  return finish(deps, record, "INTENT_FAILED", "USER_OP_DROPPED", message);
}
