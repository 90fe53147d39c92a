import { type Address, type Hex, keccak256, type LocalAccount } from "viem";
import type { Fees } from "./gateway";

export interface ExecutionTx {
  chainId: number;
  to: Address;
  data: Hex;
  gas: bigint;
  nonce: number;
  fees: Fees;
}

/** Signs locally; the bytes are persisted before anything is sent, so a restart resends, never re-signs. */
export async function signExecutionTx(signer: LocalAccount, tx: ExecutionTx): Promise<{ raw: Hex; hash: Hex }> {
  if (signer.signTransaction === undefined) throw new Error("session key account cannot sign transactions");
  const raw = await signer.signTransaction({
    type: "eip1559",
    chainId: tx.chainId,
    to: tx.to,
    data: tx.data,
    gas: tx.gas,
    nonce: tx.nonce,
    value: 0n,
    maxFeePerGas: tx.fees.maxFeePerGas,
    maxPriorityFeePerGas: tx.fees.maxPriorityFeePerGas,
  });
  return { raw, hash: keccak256(raw) };
}

/** Replacement fees: at least +12.5% on both (what nodes require to replace), or the market if higher. */
export function bumpFees(previous: Fees, market: Fees): Fees {
  const bump = (value: bigint) => (value * 1125n + 999n) / 1000n + 1n;
  const priority = bigMax(bump(previous.maxPriorityFeePerGas), market.maxPriorityFeePerGas);
  const max = bigMax(bump(previous.maxFeePerGas), market.maxFeePerGas);
  return { maxPriorityFeePerGas: priority, maxFeePerGas: bigMax(max, priority) };
}

export const bigMax = (a: bigint, b: bigint): bigint => (a > b ? a : b);
export const bigMin = (a: bigint, b: bigint): bigint => (a < b ? a : b);
