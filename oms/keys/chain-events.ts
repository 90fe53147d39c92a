import type { Address, PublicClient } from "viem";
import { sessionKeyExecutorAbi } from "../../contracts/generated/abis";

export interface ChainKeyEvent {
  kind: "GRANTED" | "REVOKED" | "INVALIDATED";
  /** null for INVALIDATED, which applies to every key of the strategy. */
  key: Address | null;
  /** Unix seconds, only for GRANTED. */
  expiry: bigint | null;
  actor: Address;
  txHash: `0x${string}`;
  blockNumber: bigint;
  logIndex: number;
}

/** Every executor event about `strategy`, oldest first. `fromBlock` bounds the scan on long chains. */
export async function strategyEvents(
  client: PublicClient,
  executor: Address,
  strategy: Address,
  fromBlock: bigint,
): Promise<ChainKeyEvent[]> {
  const common = {
    address: executor,
    abi: sessionKeyExecutorAbi,
    args: { strategy },
    fromBlock,
    toBlock: "latest",
  } as const;
  const [granted, revoked, invalidated] = await Promise.all([
    client.getContractEvents({ ...common, eventName: "SessionKeyGranted", strict: true }),
    client.getContractEvents({ ...common, eventName: "SessionKeyRevoked", strict: true }),
    client.getContractEvents({ ...common, eventName: "SessionKeysInvalidated", strict: true }),
  ]);
  const events: ChainKeyEvent[] = [
    ...granted.map((log) => ({
      kind: "GRANTED" as const,
      key: log.args.key,
      expiry: log.args.expiry,
      actor: log.args.grantedBy,
      txHash: log.transactionHash,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
    })),
    ...revoked.map((log) => ({
      kind: "REVOKED" as const,
      key: log.args.key,
      expiry: null,
      actor: log.args.by,
      txHash: log.transactionHash,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
    })),
    ...invalidated.map((log) => ({
      kind: "INVALIDATED" as const,
      key: null,
      expiry: null,
      actor: log.args.by,
      txHash: log.transactionHash,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
    })),
  ];
  return events.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
}

/** Keys granted for the strategy, most recent grant first, without repeats. */
export function grantedKeys(events: readonly ChainKeyEvent[]): Address[] {
  const seen = new Set<string>();
  const keys: Address[] = [];
  for (const event of [...events].reverse()) {
    if (event.kind !== "GRANTED" || !event.key) continue;
    const key = event.key.toLowerCase() as Address;
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(key);
  }
  return keys;
}
