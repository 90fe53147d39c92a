import type { Address, Hex } from "viem";
import type { Fees } from "../chain/gateway";
import { bigMax, bigMin, bumpFees } from "../chain/signing";
import { openAttemptsBelow, type StoredAttempt } from "../store/attempts-repo";
import type { EngineDeps } from "./deps";

/**
 * What the engine sends again while an execution sits unmined: the signed bytes of a nonce (kept alive), the
 * open earlier nonces of the same signer (a gap), and the fees a replacement may carry.
 */

export async function keepAlive(
  deps: EngineDeps,
  attempts: readonly StoredAttempt[],
  latest: StoredAttempt,
): Promise<void> {
  const sameNonce = attempts.filter((attempt) => attempt.nonce === latest.nonce && attempt.signer === latest.signer);
  await deps.nonces.serialize(latest.signer, async () => {
    for (const attempt of [...sameNonce].reverse()) {
      const sent = await deps.chain.sendRaw(attempt.raw_tx);
      if (sent.kind !== "rejected") return;
    }
  });
}

/**
 * The fees of a new attempt for `latest`'s nonce. If an earlier attempt still sits in the node's pool,
 * the new one must bump over it (nodes refuse less); if the node holds none (refused, evicted, lost in
 * a restart), the market fee is enough. Never more than the key can pay for the plan's gas limit (a node
 * refuses an unaffordable transaction outright) nor than the per-transaction fee cap: null when not even
 * the smallest acceptable fee fits.
 */
export async function replacementFees(
  deps: EngineDeps,
  attempts: readonly StoredAttempt[],
  latest: StoredAttempt,
  gasLimit: bigint,
): Promise<Fees | null> {
  const pooled: StoredAttempt[] = [];
  for (const attempt of attempts) {
    if (attempt.nonce !== latest.nonce || attempt.signer !== latest.signer || attempt.status === "DROPPED") continue;
    if (await deps.chain.isKnown(attempt.tx_hash as Hex)) pooled.push(attempt);
  }
  const floor = pooled.reduce<Fees>(
    (most, attempt) => ({
      maxFeePerGas: bigMax(attempt.max_fee_per_gas, most.maxFeePerGas),
      maxPriorityFeePerGas: bigMax(attempt.max_priority_fee_per_gas, most.maxPriorityFeePerGas),
    }),
    { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n },
  );
  const market = await deps.chain.fees();
  const wanted = pooled.length === 0 ? market : bumpFees(floor, market);
  const affordable = await highestFeePerGas(deps, latest.signer as Address, gasLimit);
  if (affordable === null) return wanted;
  if (wanted.maxFeePerGas <= affordable) return wanted;
  const minimum = pooled.length === 0 ? market : bumpFees(floor, { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n });
  if (minimum.maxFeePerGas > affordable) return null;
  return { maxFeePerGas: affordable, maxPriorityFeePerGas: bigMin(wanted.maxPriorityFeePerGas, affordable) };
}

/** The highest max fee per gas both the key's balance and the per-transaction cap allow; null = unbounded. */
async function highestFeePerGas(deps: EngineDeps, signer: Address, gasLimit: bigint): Promise<bigint | null> {
  const bounds: bigint[] = [];
  if (deps.config.maxFeePerTxWei !== null) bounds.push(deps.config.maxFeePerTxWei / gasLimit);
  if (deps.chain.balance !== undefined) bounds.push((await deps.chain.balance(signer)) / gasLimit);
  return bounds.length === 0 ? null : bounds.reduce(bigMin);
}

/** How long a transaction may wait behind earlier unmined nonces, without a new block, before they are resent. */
const GAP_GRACE_MS = 1_000;

/**
 * Our transaction sits in the node's pool but an earlier nonce of the same signer has not mined:
 * the node holds ours as queued until that one arrives. Its intent may not be looked at for a
 * while (a killed process's lease has to run out first), and some nodes never mine a queued
 * transaction on their own, so the stored bytes of every open earlier nonce are sent again here,
 * lowest first. Resending signed bytes is idempotent; their own intents record the outcome.
 */
export async function fillNonceGap(deps: EngineDeps, latest: StoredAttempt, head: number): Promise<void> {
  if (deps.chain.minedNonce === undefined) return;
  // Earlier nonces still unmined in the very block we were sent in is the normal pipeline under steady load,
  // not a gap: resending them on every poll of every later intent cost O(in flight²) sends per block. An
  // automining chain makes no block while ours waits behind a gap, hence the time bound too.
  const ageMs = deps.clock.now().getTime() - Date.parse(latest.created_at);
  if (latest.broadcast_block !== null && head <= latest.broadcast_block && ageMs < GAP_GRACE_MS) return;
  const mined = await deps.chain.minedNonce(latest.signer as Address);
  if (mined >= latest.nonce) return;
  const earlier = await openAttemptsBelow(deps.db, deps.chain.chainId, latest.signer, mined, latest.nonce);
  await deps.nonces.serialize(latest.signer, async () => {
    for (const attempt of earlier) {
      const sent = await deps.chain.sendRaw(attempt.raw_tx);
      if (sent.kind === "rejected") {
        deps.log.warn("resending an earlier nonce failed", { nonce: attempt.nonce, reason: sent.message });
      }
    }
  });
}
