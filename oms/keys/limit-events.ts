import type { Address, PublicClient } from "viem";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../../contracts/generated/abis";

/** On-chain limit changes of one vault for its key history (issue 20): executor budgets, registry pause/guardians. */
export interface ChainLimitEvent {
  kind: "BUDGET_SET" | "PAUSED" | "UNPAUSED" | "GUARDIAN_SET";
  /** The hook (budget) or the guardian concerned; null for a pause/unpause. */
  subject: Address | null;
  actor: Address;
  details: Record<string, string>;
  txHash: `0x${string}`;
  blockNumber: bigint;
  logIndex: number;
}

export async function limitEvents(
  client: PublicClient,
  contracts: { executor: Address; registry: Address },
  strategy: Address,
  fromBlock: bigint,
): Promise<ChainLimitEvent[]> {
  const range = { fromBlock, toBlock: "latest", strict: true } as const;
  const onRegistry = {
    ...range,
    address: contracts.registry,
    abi: vaultRegistryAbi,
    args: { vault: strategy },
  } as const;
  const [budgets, paused, unpaused, guardians] = await Promise.all([
    client.getContractEvents({
      ...range,
      address: contracts.executor,
      abi: sessionKeyExecutorAbi,
      eventName: "BudgetSet",
      args: { strategy },
    }),
    client.getContractEvents({ ...onRegistry, eventName: "VaultPaused" }),
    client.getContractEvents({ ...onRegistry, eventName: "VaultUnpaused" }),
    client.getContractEvents({ ...onRegistry, eventName: "GuardianSet" }),
  ]);
  const at = (log: { transactionHash: `0x${string}`; blockNumber: bigint; logIndex: number }) => ({
    txHash: log.transactionHash,
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
  });
  return [
    ...budgets.map((log) => ({
      kind: "BUDGET_SET" as const,
      subject: log.args.hook,
      actor: log.args.by,
      details: {
        hook: log.args.hook.toLowerCase(),
        max_amount: log.args.maxAmount.toString(),
        max_executions: String(log.args.maxExecutions),
        period_seconds: String(log.args.period),
        rolling: String(log.args.rolling),
      },
      ...at(log),
    })),
    ...paused.map((log) => ({ kind: "PAUSED" as const, subject: null, actor: log.args.by, details: {}, ...at(log) })),
    ...unpaused.map((log) => ({
      kind: "UNPAUSED" as const,
      subject: null,
      actor: log.args.by,
      details: {},
      ...at(log),
    })),
    ...guardians.map((log) => ({
      kind: "GUARDIAN_SET" as const,
      subject: log.args.guardian,
      actor: log.args.by,
      details: { guardian: log.args.guardian.toLowerCase(), enabled: String(log.args.enabled) },
      ...at(log),
    })),
  ];
}
