import { type Address, encodeFunctionData, type PublicClient } from "viem";
import { sessionKeyExecutorAbi } from "../../contracts/generated/abis";
import type { NotReadyReason } from "../../lib/defix/session-keys";

/** `SessionKeyExecutor.PERMISSION_EXECUTE_HOOKS`: the only permission our keys need. */
export const PERMISSION_EXECUTE_HOOKS = 1n;

/** `sessionKeyStatus` codes, in the contract's order. */
export const KEY_STATUS = [
  "VALID",
  "NONE",
  "EXPIRED",
  "REVOKED",
  "GENERATION_CHANGED",
  "MANAGER_CHANGED",
  "MISSING_PERMISSION",
] as const;
export type KeyStatus = (typeof KEY_STATUS)[number];

/** The latest block when the OMS acted: places its actions among on-chain events in the audit trail. */
export interface ChainHead {
  number: bigint;
  timestamp: bigint;
}

export interface OnChainKey {
  address: Address;
  status: KeyStatus;
  /** Unix seconds; 0 when never granted. */
  expiry: bigint;
}

export function notReadyReason(status: KeyStatus): NotReadyReason {
  return status === "VALID" || status === "NONE" ? "NO_KEY" : status;
}

/** Reads of the executor the readiness and rotation checks need. */
export function executorReader(client: PublicClient, executor: Address) {
  return {
    async key(strategy: Address, key: Address): Promise<OnChainKey> {
      const [code, record] = await Promise.all([
        client.readContract({
          address: executor,
          abi: sessionKeyExecutorAbi,
          functionName: "sessionKeyStatus",
          args: [strategy, key],
        }),
        client.readContract({
          address: executor,
          abi: sessionKeyExecutorAbi,
          functionName: "getSessionKey",
          args: [strategy, key],
        }),
      ]);
      const status = KEY_STATUS[code];
      if (!status) throw new Error(`executor returned an unknown session key status ${code}`);
      return { address: key, status, expiry: record[0] };
    },
    async isValid(strategy: Address, key: Address): Promise<boolean> {
      return client.readContract({
        address: executor,
        abi: sessionKeyExecutorAbi,
        functionName: "isSessionKeyValid",
        args: [strategy, key],
      });
    },
    /** Chain time, not wall time: expiries are compared against `block.timestamp`. */
    async head(): Promise<ChainHead> {
      const block = await client.getBlock({ blockTag: "latest" });
      return { number: block.number, timestamp: block.timestamp };
    },
  };
}
export type ExecutorReader = ReturnType<typeof executorReader>;

export function grantCalldata(strategy: Address, key: Address, expiry: bigint): `0x${string}` {
  return encodeFunctionData({
    abi: sessionKeyExecutorAbi,
    functionName: "grantSessionKey",
    args: [strategy, key, expiry, PERMISSION_EXECUTE_HOOKS],
  });
}

export function rotateCalldata(strategy: Address, oldKey: Address, newKey: Address, expiry: bigint): `0x${string}` {
  return encodeFunctionData({
    abi: sessionKeyExecutorAbi,
    functionName: "rotateSessionKey",
    args: [strategy, oldKey, newKey, expiry, PERMISSION_EXECUTE_HOOKS],
  });
}

export function revokeCalldata(strategy: Address, key: Address): `0x${string}` {
  return encodeFunctionData({ abi: sessionKeyExecutorAbi, functionName: "revokeSessionKey", args: [strategy, key] });
}
