import {
  type Address,
  ContractFunctionRevertedError,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseEther,
  zeroAddress,
} from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { sessionKeyExecutorAbi, superVaultAccountAbi, vaultRegistryAbi } from "../generated/abis";
import { allErrors, type World } from "./fixture";
import { type HookStep, hooksCall, leafOf } from "./hooks-call";
import { handleOpsArgs, signedUserOp, userOpEvents } from "./user-ops";

/**
 * Helpers for the budget and pause tests: a funded session key of one vault per account mode that tries
 * everything against the contract holding it. Every holder speaks the executor's key and budget ABI
 * (`SessionKeyValidation`), so only the way a call reaches the chain differs per mode.
 */

export const DUSD = 1_000_000n;
export const DAY = 86_400;

export type LimitsMode = "OMS" | "EIP4337" | "EIP4337_COMPANION" | "EIP7702";
type Signer = PrivateKeyAccount | World["accounts"]["managerOne"];

/** One vault per mode in the dev world, and who manages it. */
export const LIMIT_MODES: { mode: LimitsMode; symbol: string }[] = [
  { mode: "OMS", symbol: "svALPHA" },
  { mode: "EIP4337", symbol: "svDELTA" },
  { mode: "EIP4337_COMPANION", symbol: "svEPSILON" },
  { mode: "EIP7702", symbol: "svZETA" },
];

export interface LimitsWorld {
  mode: LimitsMode;
  symbol: string;
  /** The contract holding the vault's keys and budgets (executor, vault account, companion or 7702 EOA). */
  holder: Address;
  registry: Address;
  vault: Address;
  primary: World["accounts"]["managerOne"];
  key: PrivateKeyAccount;
  hook(label: string): Address;
  setBudget(
    hook: Address,
    budget: { maxAmount: bigint; maxExecutions?: number; period: number; rolling?: boolean },
    from?: Signer,
  ): Promise<unknown>;
  /** Runs the hooks as the session key would; a refusal rejects with the decoded custom error (see `revertOf`). */
  execute(steps: HookStep[]): Promise<unknown>;
  /** The same call mined at exactly `timestamp`; resolves to whether the hooks ran. */
  executeAt(timestamp: bigint, steps: HookStep[]): Promise<"success" | "reverted">;
  state(hook: Address): Promise<readonly [bigint, bigint, bigint, bigint, bigint]>;
  registryWrite(from: Signer, functionName: "pause" | "unpause", vault?: Address): Promise<unknown>;
}

export async function setupLimits(world: World, mode: LimitsMode = "OMS"): Promise<LimitsWorld> {
  const symbol = LIMIT_MODES.find((entry) => entry.mode === mode)?.symbol ?? "svALPHA";
  const manifestVault = world.vault(symbol);
  const vault = getAddress(manifestVault.address);
  const holder = getAddress(manifestVault.key_holder ?? world.manifest.contracts.executor);
  const registry = getAddress(world.manifest.contracts.registry);
  const primary = mode === "EIP7702" ? world.accounts.managerTwo : world.accounts.managerOne;
  const key = privateKeyToAccount(generatePrivateKey());
  await grant(world, { mode, holder, vault, primary, key: key.address });

  const args = (steps: HookStep[]) => hooksCall(manifestVault, steps);
  // The EIP4337 vault is its own account: its executeHooks has no strategy argument.
  const callData = (steps: HookStep[]): Hex =>
    mode === "EIP4337"
      ? encodeFunctionData({ abi: superVaultAccountAbi, functionName: "executeHooks", args: args(steps) })
      : encodeFunctionData({ abi: sessionKeyExecutorAbi, functionName: "executeHooks", args: [vault, ...args(steps)] });
  const userOps = mode === "EIP4337" || mode === "EIP4337_COMPANION";
  // The key sends its own transaction to the holder (OMS, EIP7702); viem decodes a refusal from the estimate.
  const direct = (steps: HookStep[], gas?: bigint) =>
    world.wallet(key).writeContract({
      address: holder,
      abi: sessionKeyExecutorAbi,
      functionName: "executeHooks",
      args: [vault, ...args(steps)],
      ...(gas === undefined ? {} : { gas }),
    });

  /** A user op through the EntryPoint: a validation refusal rejects (FailedOp); an execution revert is decoded. */
  async function runUserOp(steps: HookStep[], timestamp?: bigint): Promise<"success" | Hex> {
    const op = await signedUserOp(world, holder, callData(steps), key);
    const request = handleOpsArgs(world, [op]);
    if (timestamp === undefined) await world.publicClient.simulateContract(request);
    else await world.testClient.setNextBlockTimestamp({ timestamp });
    const hash = await world.wallet(world.accounts.outsider).writeContract({ ...request, gas: 3_000_000n });
    const receipt = await world.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const { events, reverts } = userOpEvents(receipt);
    if (events[0]?.args.success) return "success";
    return reverts[0]?.args.revertReason ?? "0x";
  }

  return {
    mode,
    symbol,
    holder,
    registry,
    vault,
    primary,
    key,
    hook: (label) => getAddress(leafOf(manifestVault, label).hook),
    setBudget: (hook, budget, from = primary) =>
      world.mined(
        world.wallet(from).writeContract({
          address: holder,
          abi: sessionKeyExecutorAbi,
          functionName: "setBudget",
          args: [vault, hook, budget.maxAmount, budget.maxExecutions ?? 0, budget.period, budget.rolling ?? false],
        }),
      ),
    async execute(steps) {
      if (!userOps) {
        return world.mined(direct(steps));
      }
      const outcome = await runUserOp(steps);
      if (outcome === "success") return outcome;
      throw new ContractFunctionRevertedError({ abi: allErrors, data: outcome, functionName: "executeHooks" });
    },
    async executeAt(timestamp, steps) {
      if (userOps) return (await runUserOp(steps, timestamp)) === "success" ? "success" : "reverted";
      await world.testClient.setNextBlockTimestamp({ timestamp });
      const hash = await direct(steps, 2_000_000n);
      return (await world.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status;
    },
    state: (hook) =>
      world.publicClient.readContract({
        address: holder,
        abi: sessionKeyExecutorAbi,
        functionName: "budgetState",
        args: [vault, hook],
      }),
    registryWrite: (from, functionName, target = vault) =>
      world.mined(
        world.wallet(from).writeContract({ address: registry, abi: vaultRegistryAbi, functionName, args: [target] }),
      ),
  };
}

/** Grants `key` on the mode's holder for 30 days with gas money (7702: the EOA delegates in the same transaction). */
async function grant(
  world: World,
  to: { mode: LimitsMode; holder: Address; vault: Address; primary: Signer; key: Address },
): Promise<void> {
  const wallet = world.wallet(to.primary);
  const expiry = (await world.latestTimestamp()) + 30n * BigInt(DAY);
  const implementation = world.manifest.contracts.account_7702 ?? zeroAddress;
  const authorizationList =
    to.mode === "EIP7702"
      ? [await wallet.signAuthorization({ contractAddress: implementation, executor: "self" })]
      : [];
  await world.mined(
    wallet.writeContract({
      address: to.holder,
      abi: sessionKeyExecutorAbi,
      functionName: "grantSessionKey",
      args: [to.vault, to.key, expiry, 1n],
      value: parseEther("5"),
      ...(authorizationList.length > 0 ? { authorizationList } : {}),
    }),
  );
}
