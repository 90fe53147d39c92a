import { type Address, type Hex, parseEventLogs, parseGwei, type TransactionReceipt } from "viem";
import {
  entryPoint08Abi,
  getUserOperationHash,
  toPackedUserOperation,
  type UserOperation,
} from "viem/account-abstraction";
import type { PrivateKeyAccount } from "viem/accounts";
import type { World } from "./fixture";

/** Builds, signs and hands user ops straight to the EntryPoint (no bundler: the contract tests check the chain). */

export async function signedUserOp(
  world: World,
  sender: Address,
  callData: Hex,
  key: PrivateKeyAccount,
): Promise<UserOperation<"0.8">> {
  const entryPoint = entryPointOf(world);
  const nonce = await world.publicClient.readContract({
    address: entryPoint,
    abi: entryPoint08Abi,
    functionName: "getNonce",
    args: [sender, 0n],
  });
  const op: UserOperation<"0.8"> = {
    sender,
    nonce,
    callData,
    callGasLimit: 1_500_000n,
    verificationGasLimit: 300_000n,
    preVerificationGas: 60_000n,
    maxFeePerGas: parseGwei("5"),
    maxPriorityFeePerGas: parseGwei("1"),
    signature: "0x",
  };
  const hash = getUserOperationHash({
    chainId: world.manifest.chain_id,
    entryPointAddress: entryPoint,
    entryPointVersion: "0.8",
    userOperation: op,
  });
  return { ...op, signature: await key.sign({ hash }) };
}

export function entryPointOf(world: World): Address {
  const entryPoint = world.manifest.contracts.entry_point;
  if (!entryPoint) throw new Error("the manifest has no entry point");
  return entryPoint;
}

/** The args of `handleOps`, for `simulateContract` (refusals) or `writeContract`. */
export function handleOpsArgs(world: World, ops: UserOperation<"0.8">[]) {
  return {
    address: entryPointOf(world),
    abi: entryPoint08Abi,
    functionName: "handleOps",
    args: [ops.map((op) => toPackedUserOperation(op)), world.accounts.outsider.address],
    account: world.accounts.outsider,
  } as const;
}

export async function handleOps(world: World, ops: UserOperation<"0.8">[]): Promise<TransactionReceipt> {
  return world.mined(world.wallet(world.accounts.outsider).writeContract(handleOpsArgs(world, ops)));
}

export function userOpEvents(receipt: TransactionReceipt) {
  return {
    events: parseEventLogs({ abi: entryPoint08Abi, eventName: "UserOperationEvent", logs: receipt.logs }),
    reverts: parseEventLogs({ abi: entryPoint08Abi, eventName: "UserOperationRevertReason", logs: receipt.logs }),
  };
}
