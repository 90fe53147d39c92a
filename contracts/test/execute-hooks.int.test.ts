import { type Address, getAddress, parseEther, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi, superVaultAbi, yieldSourceAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { type HookStep, hooksCall, PREVIOUS_OUTPUT } from "./hooks-call";

const DUSD = 1_000_000n;
const key = privateKeyToAccount(generatePrivateKey());

let world: World;
let executor: Address;
let alpha: Address;
let sources: Record<"aave" | "morpho", Address>;
let snapshot: `0x${string}`;

beforeAll(async () => {
  world = await setupWorld();
  executor = getAddress(world.manifest.contracts.executor);
  alpha = getAddress(world.vault("svALPHA").address);
  const [aave, morpho] = world.manifest.contracts.yield_sources.map((source) => getAddress(source.address));
  sources = { aave: aave!, morpho: morpho! };
  const expiry = (await world.latestTimestamp()) + 86_400n;
  await world.mined(
    world.wallet(world.accounts.managerOne).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "grantSessionKey",
      args: [alpha, key.address, expiry, 1n],
      value: parseEther("1"),
    }),
  );
});
afterAll(async () => world?.stop());
beforeEach(async () => {
  snapshot = await world.testClient.snapshot();
});
afterEach(async () => world.testClient.revert({ id: snapshot }));

/** Simulates first to read the outputs, then sends the same call with the session key. */
async function execute(steps: HookStep[]) {
  const args = [alpha, ...hooksCall(world.vault("svALPHA"), steps)] as const;
  const request = { address: executor, abi: sessionKeyExecutorAbi, functionName: "executeHooks", args } as const;
  const { result } = await world.publicClient.simulateContract({ ...request, account: key });
  const receipt = await world.mined(world.wallet(key).writeContract(request));
  return {
    outputs: result,
    events: parseEventLogs({ abi: superVaultAbi, eventName: "HookExecuted", logs: receipt.logs }),
  };
}

const read = {
  freeAssets: () => world.publicClient.readContract({ address: alpha, abi: superVaultAbi, functionName: "freeAssets" }),
  totalAssets: () =>
    world.publicClient.readContract({ address: alpha, abi: superVaultAbi, functionName: "totalAssets" }),
  positions: () => world.publicClient.readContract({ address: alpha, abi: superVaultAbi, functionName: "positions" }),
  previewDeposit: (source: Address, assets: bigint) =>
    world.publicClient.readContract({
      address: source,
      abi: yieldSourceAbi,
      functionName: "previewDeposit",
      args: [assets],
    }),
};

describe("SuperVault.executeHooks through the executor", () => {
  it("deposits idle assets into a yield source and values the position", async () => {
    const [freeBefore, totalBefore] = [await read.freeAssets(), await read.totalAssets()];
    const expectedShares = await read.previewDeposit(sources.aave, 100_000n * DUSD);
    const { outputs, events } = await execute([{ label: "Deposit4626Hook:ysAAVE", amount: 100_000n * DUSD }]);

    expect(outputs).toEqual([expectedShares]);
    expect(await read.freeAssets()).toBe(freeBefore - 100_000n * DUSD);
    const [positionSources, shares, assets] = await read.positions();
    expect(positionSources).toEqual([sources.aave]);
    expect(shares).toEqual([expectedShares]);
    // ERC-4626 rounds down in the vault's disfavour by at most one unit.
    expect(100_000n * DUSD - assets[0]!).toBeLessThanOrEqual(1n);
    expect(totalBefore - (await read.totalAssets())).toBeLessThanOrEqual(1n);
    expect(events[0]?.args).toMatchObject({
      tokenOut: sources.aave,
      amountIn: 100_000n * DUSD,
      amountOut: expectedShares,
    });
  });

  it("redeems a position back to idle assets", async () => {
    const { outputs } = await execute([{ label: "Deposit4626Hook:ysAAVE", amount: 50_000n * DUSD }]);
    const freeBefore = await read.freeAssets();
    const redeemed = await execute([{ label: "Redeem4626Hook:ysAAVE", amount: outputs[0]! }]);

    expect(50_000n * DUSD - redeemed.outputs[0]!).toBeLessThanOrEqual(1n);
    expect(await read.freeAssets()).toBe(freeBefore + redeemed.outputs[0]!);
    const [, shares] = await read.positions();
    expect(shares).toEqual([0n]);
  });

  it("rebalances in one call: redeem A, then deposit exactly that output into B", async () => {
    const deposited = await execute([{ label: "Deposit4626Hook:ysAAVE", amount: 80_000n * DUSD }]);
    const freeBefore = await read.freeAssets();
    const { outputs, events } = await execute([
      { label: "Redeem4626Hook:ysAAVE", amount: deposited.outputs[0]! },
      { label: "Deposit4626Hook:ysMORPHO", amount: PREVIOUS_OUTPUT },
    ]);

    expect(events.map((event) => event.args.amountIn)).toEqual([deposited.outputs[0], outputs[0]]);
    expect(await read.freeAssets()).toBe(freeBefore);
    const [positionSources, shares] = await read.positions();
    expect(positionSources).toEqual([sources.aave, sources.morpho]);
    expect(shares).toEqual([0n, outputs[1]]);
  });

  it("reverts the whole call when an output is below its minimum", async () => {
    const amount = 10_000n * DUSD;
    const shares = await read.previewDeposit(sources.morpho, amount);
    const args = hooksCall(world.vault("svALPHA"), [
      { label: "Deposit4626Hook:ysMORPHO", amount, minOutput: shares + 1n },
    ]);
    const attempt = world.wallet(key).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "executeHooks",
      args: [alpha, ...args],
    });

    expect(await revertOf(attempt)).toEqual({ errorName: "SlippageExceeded", args: [0n, shares, shares + 1n] });
    const [positionSources] = await read.positions();
    expect(positionSources).toEqual([]);
  });

  it("accepts calls only from the executor", async () => {
    const args = hooksCall(world.vault("svALPHA"), [{ label: "Deposit4626Hook:ysAAVE", amount: DUSD }]);
    for (const caller of [world.accounts.managerOne, key]) {
      const attempt = world
        .wallet(caller)
        .writeContract({ address: alpha, abi: superVaultAbi, functionName: "executeHooks", args });
      expect((await revertOf(attempt)).errorName).toBe("NotExecutor");
    }
  });

  it("refuses the previous-output sentinel on the first hook and mismatched array lengths", async () => {
    const first = hooksCall(world.vault("svALPHA"), [{ label: "Deposit4626Hook:ysAAVE", amount: PREVIOUS_OUTPUT }]);
    const sentinel = world.wallet(key).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "executeHooks",
      args: [alpha, ...first],
    });
    expect(await revertOf(sentinel)).toEqual({ errorName: "NoPreviousOutput", args: [0n] });

    const [hooks, hookArgs, amounts, , proofs] = hooksCall(world.vault("svALPHA"), [
      { label: "Deposit4626Hook:ysAAVE", amount: DUSD },
    ]);
    const mismatch = world.wallet(key).writeContract({
      address: executor,
      abi: sessionKeyExecutorAbi,
      functionName: "executeHooks",
      args: [alpha, hooks, hookArgs, amounts, [], proofs],
    });
    expect((await revertOf(mismatch)).errorName).toBe("LengthMismatch");
  });
});
