import { BaseError, type Hex, hexToString, type LocalAccount, RpcRequestError, toHex } from "viem";
import { formatUserOperation, formatUserOperationRequest } from "viem/account-abstraction";
import type { SignedUserOp, UserOpGateway } from "../chain/user-ops";
import type { IntentRecord } from "../domain/record";
import type { StoredAttempt } from "../store/attempts-repo";
import type { EngineDeps } from "./deps";

/** The stored form of a signed op: the bundler JSON-RPC form, hex-encoded JSON (a restart resends it byte for byte). */
export const encodeOp = (op: SignedUserOp): Hex => toHex(JSON.stringify(formatUserOperationRequest(op)));
export const decodeOp = (raw: Hex): SignedUserOp => formatUserOperation(JSON.parse(hexToString(raw))) as SignedUserOp;

export async function signOp(signer: LocalAccount, gateway: UserOpGateway, op: SignedUserOp): Promise<SignedUserOp> {
  if (signer.sign === undefined) throw new Error("the session key account cannot sign raw hashes");
  return { ...op, signature: await signer.sign({ hash: gateway.hash(op) }) };
}

/** A JSON-RPC error from the bundler (a refusal), as opposed to the bundler being unreachable. */
export const isRefusal = (error: unknown): error is BaseError =>
  error instanceof BaseError && error.walk((cause) => cause instanceof RpcRequestError) !== null;

/** The attempt row of a signed op: `tx_hash` = userOpHash, `signer` = the account, `nonce` = the sequence. */
export function userOpAttempt(
  deps: EngineDeps,
  record: IntentRecord,
  gateway: UserOpGateway,
  op: SignedUserOp,
  executionId: string,
): StoredAttempt {
  return {
    tx_hash: gateway.hash(op),
    intent_id: record.id,
    execution_id: executionId,
    chain_id: deps.chain.chainId,
    signer: op.sender.toLowerCase(),
    nonce: Number(op.nonce & 0xffffffffffffffffn),
    max_fee_per_gas: op.maxFeePerGas,
    max_priority_fee_per_gas: op.maxPriorityFeePerGas,
    raw_tx: encodeOp(op),
    status: "SIGNED",
    broadcast_block: null,
    created_at: deps.clock.now().toISOString(),
  };
}

/** What TX_SIGNED / INTENT_EXECUTING / TX_REPLACED carry for a user op. */
export function userOpPayload(attempt: StoredAttempt, op: SignedUserOp, sessionKey: string) {
  return {
    tx_hash: attempt.tx_hash,
    user_op_hash: attempt.tx_hash,
    nonce: attempt.nonce,
    nonce_key: (op.nonce >> 64n).toString(),
    signer: attempt.signer,
    session_key_address: sessionKey.toLowerCase(),
    max_fee_per_gas: op.maxFeePerGas.toString(),
    max_priority_fee_per_gas: op.maxPriorityFeePerGas.toString(),
  };
}
