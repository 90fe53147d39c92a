import { getAddress, parseEventLogs } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { vaultRegistryAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { DUSD, LIMIT_MODES, type LimitsWorld, setupLimits } from "./limits-support";

/** The on-chain pause: the registry holds it, the executor refuses every session key of a paused vault. */

let world: World;
let limits: LimitsWorld;
let snapshot: `0x${string}`;

beforeAll(async () => {
  world = await setupWorld();
  limits = await setupLimits(world);
});
afterAll(async () => world?.stop());
beforeEach(async () => {
  snapshot = await world.testClient.snapshot();
});
afterEach(async () => world.testClient.revert({ id: snapshot }));

const deposit = [{ label: "Deposit4626Hook:ysAAVE", amount: DUSD }];
const isPaused = (vault = limits.vault) =>
  world.publicClient.readContract({
    address: limits.registry,
    abi: vaultRegistryAbi,
    functionName: "isPaused",
    args: [vault],
  });
const setGuardian = (guardian: `0x${string}`, enabled: boolean, from = world.accounts.managerOne) =>
  world.mined(
    world.wallet(from).writeContract({
      address: limits.registry,
      abi: vaultRegistryAbi,
      functionName: "setGuardian",
      args: [limits.vault, guardian, enabled],
    }),
  );

describe("VaultRegistry pause + SessionKeyExecutor", () => {
  it("refuses a valid session key while its vault is paused, and executes again after the unpause", async () => {
    await limits.execute(deposit);
    const receipt = await limits.registryWrite(world.accounts.managerOne, "pause");
    const [event] = parseEventLogs({
      abi: vaultRegistryAbi,
      eventName: "VaultPaused",
      logs: (receipt as { logs: Parameters<typeof parseEventLogs>[0]["logs"] }).logs,
    });
    expect(event?.args).toEqual({ vault: limits.vault, by: world.accounts.managerOne.address });
    expect(await isPaused()).toBe(true);
    expect(await revertOf(limits.execute(deposit))).toEqual({ errorName: "VaultPaused", args: [limits.vault] });
    // Pausing twice is refused, so a second pause cannot hide who paused first.
    expect((await revertOf(limits.registryWrite(world.accounts.managerOne, "pause"))).errorName).toBe("AlreadyPaused");

    await limits.registryWrite(world.accounts.managerOne, "unpause");
    expect(await isPaused()).toBe(false);
    await limits.execute(deposit);
  });

  it("lets only the primary manager unpause", async () => {
    await setGuardian(world.accounts.outsider.address, true);
    await limits.registryWrite(world.accounts.managerOne, "pause");
    for (const caller of [world.accounts.managerTwo, world.accounts.outsider, world.accounts.deployer, limits.key]) {
      expect((await revertOf(limits.registryWrite(caller, "unpause"))).errorName).toBe("NotPrimaryManager");
    }
    expect(await isPaused()).toBe(true);
  });

  it("lets a guardian the primary named pause, and nobody else", async () => {
    for (const caller of [world.accounts.managerTwo, world.accounts.outsider, limits.key]) {
      expect((await revertOf(limits.registryWrite(caller, "pause"))).errorName).toBe("NotPrimaryOrGuardian");
    }
    // Only the primary names guardians.
    const byOther = setGuardian(world.accounts.outsider.address, true, world.accounts.managerTwo);
    expect((await revertOf(byOther)).errorName).toBe("NotPrimaryManager");

    await setGuardian(world.accounts.outsider.address, true);
    expect(
      await world.publicClient.readContract({
        address: limits.registry,
        abi: vaultRegistryAbi,
        functionName: "guardians",
        args: [limits.vault],
      }),
    ).toEqual([getAddress(world.accounts.outsider.address)]);
    await limits.registryWrite(world.accounts.outsider, "pause");
    expect(await revertOf(limits.execute(deposit))).toEqual({ errorName: "VaultPaused", args: [limits.vault] });
  });

  it("forgets guardians named by a manager who is no longer primary, and removed ones", async () => {
    await setGuardian(world.accounts.outsider.address, true);
    await setGuardian(world.accounts.depositor.address, true);
    await setGuardian(world.accounts.depositor.address, false);
    expect((await revertOf(limits.registryWrite(world.accounts.depositor, "pause"))).errorName).toBe(
      "NotPrimaryOrGuardian",
    );
    await world.mined(
      world.wallet(world.accounts.managerOne).writeContract({
        address: limits.registry,
        abi: vaultRegistryAbi,
        functionName: "setPrimaryManager",
        args: [limits.vault, world.accounts.managerTwo.address],
      }),
    );
    expect((await revertOf(limits.registryWrite(world.accounts.outsider, "pause"))).errorName).toBe(
      "NotPrimaryOrGuardian",
    );
  });

  it("pauses one vault only", async () => {
    const bravo = getAddress(world.vault("svBETA").address);
    await limits.registryWrite(world.accounts.managerOne, "pause");
    expect(await isPaused(bravo)).toBe(false);
  });
});

describe.each(LIMIT_MODES.filter(({ mode }) => mode !== "OMS"))("the pause in mode $mode ($symbol)", ({ mode }) => {
  let account: LimitsWorld;
  beforeAll(async () => {
    account = await setupLimits(world, mode);
  }, 60_000);

  it("refuses the session key while paused, only the primary unpauses, then it executes again", async () => {
    await account.execute(deposit);
    await account.registryWrite(account.primary, "pause");
    const refused = await revertOf(account.execute(deposit));
    if (mode === "EIP7702") {
      expect(refused).toEqual({ errorName: "VaultPaused", args: [account.vault] });
    } else {
      // 4337 validation refuses a paused vault's op: the EntryPoint reports a signature failure (AA24).
      expect(refused.errorName).toBe("FailedOp");
      expect(String(refused.args[1])).toContain("AA24");
    }
    for (const caller of [world.accounts.outsider, world.accounts.deployer, account.key]) {
      expect((await revertOf(account.registryWrite(caller, "unpause"))).errorName).toBe("NotPrimaryManager");
    }
    await account.registryWrite(account.primary, "unpause");
    await account.execute(deposit);
  });
});
