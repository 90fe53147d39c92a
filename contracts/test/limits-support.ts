import { type Address, getAddress, parseEther } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../generated/abis";
import type { World } from "./fixture";
import { type HookStep, hooksCall, leafOf } from "./hooks-call";

/** Helpers for the budget and pause tests: a funded session key on svALPHA that tries everything. */

export const DUSD = 1_000_000n;
export const DAY = 86_400;

export interface LimitsWorld {
  executor: Address;
  registry: Address;
  alpha: Address;
  key: PrivateKeyAccount;
  hook(label: string): Address;
  setBudget(
    hook: Address,
    budget: { maxAmount: bigint; maxExecutions?: number; period: number; rolling?: boolean },
    from?: PrivateKeyAccount | World["accounts"]["managerOne"],
  ): Promise<unknown>;
  /** executeHooks signed by the session key (viem simulates first, so a revert is decoded). */
  execute(steps: HookStep[], key?: PrivateKeyAccount): Promise<unknown>;
  /** The same call mined without simulation at exactly `timestamp`; resolves to the receipt status. */
  executeAt(timestamp: bigint, steps: HookStep[]): Promise<"success" | "reverted">;
  state(hook: Address): Promise<readonly [bigint, bigint, bigint, bigint, bigint]>;
  registryWrite(
    from: PrivateKeyAccount | World["accounts"]["managerOne"],
    functionName: "pause" | "unpause",
    vault?: Address,
  ): Promise<unknown>;
}

export async function setupLimits(world: World): Promise<LimitsWorld> {
  const executor = getAddress(world.manifest.contracts.executor);
  const registry = getAddress(world.manifest.contracts.registry);
  const alpha = getAddress(world.vault("svALPHA").address);
  const key = privateKeyToAccount(generatePrivateKey());
  const expiry = (await world.latestTimestamp()) + 30n * BigInt(DAY);
  await world.mined(
    world.wallet(world.accounts.managerOne).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "grantSessionKey",
      args: [alpha, key.address, expiry, 1n],
      value: parseEther("5"),
    }),
  );
  const request = (steps: HookStep[]) =>
    ({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "executeHooks",
      args: [alpha, ...hooksCall(world.vault("svALPHA"), steps)],
    }) as const;
  return {
    executor,
    registry,
    alpha,
    key,
    hook: (label) => getAddress(leafOf(world.vault("svALPHA"), label).hook),
    setBudget: (hook, budget, from = world.accounts.managerOne) =>
      world.mined(
        world.wallet(from).writeContract({
          address: executor,
          abi: sessionKeyExecutorAbi,
          functionName: "setBudget",
          args: [alpha, hook, budget.maxAmount, budget.maxExecutions ?? 0, budget.period, budget.rolling ?? false],
        }),
      ),
    execute: (steps, signer = key) => world.mined(world.wallet(signer).writeContract(request(steps))),
    async executeAt(timestamp, steps) {
      await world.testClient.setNextBlockTimestamp({ timestamp });
      const hash = await world.wallet(key).writeContract({ ...request(steps), gas: 2_000_000n });
      return (await world.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status;
    },
    state: (hook) =>
      world.publicClient.readContract({
        address: executor,
        abi: sessionKeyExecutorAbi,
        functionName: "budgetState",
        args: [alpha, hook],
      }),
    registryWrite: (from, functionName, vault = alpha) =>
      world.mined(
        world.wallet(from).writeContract({ address: registry, abi: vaultRegistryAbi, functionName, args: [vault] }),
      ),
  };
}
