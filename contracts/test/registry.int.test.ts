import { type Address, getAddress, type Hex, parseEther, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildHooksTree } from "../../lib/chain/hooks-tree";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { hooksCall } from "./hooks-call";

const DAY = 86_400;

let world: World;
let registry: Address;
let vaults: Record<"alpha" | "beta" | "gamma", Address>;
let snapshot: Hex;

beforeAll(async () => {
  world = await setupWorld();
  registry = getAddress(world.manifest.contracts.registry);
  vaults = {
    alpha: getAddress(world.vault("svALPHA").address),
    beta: getAddress(world.vault("svBETA").address),
    gamma: getAddress(world.vault("svGAMMA").address),
  };
});
afterAll(async () => world?.stop());
beforeEach(async () => {
  snapshot = await world.testClient.snapshot();
});
afterEach(async () => world.testClient.revert({ id: snapshot }));

const read = (vault: Address) => {
  const base = { address: registry, abi: vaultRegistryAbi, args: [vault] } as const;
  return {
    primaryManager: () => world.publicClient.readContract({ ...base, functionName: "primaryManager" }),
    secondaryManagers: () => world.publicClient.readContract({ ...base, functionName: "secondaryManagers" }),
    hooksRoot: () => world.publicClient.readContract({ ...base, functionName: "hooksRoot" }),
    isRegistered: () => world.publicClient.readContract({ ...base, functionName: "isRegistered" }),
    pendingHooksRoot: () => world.publicClient.readContract({ ...base, functionName: "pendingHooksRoot" }),
  };
};

function registryAs(account: World["accounts"][keyof World["accounts"]]) {
  const wallet = world.wallet(account);
  return {
    propose: (vault: Address, root: Hex) =>
      wallet.writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "proposeHooksRoot",
        args: [vault, root],
      }),
    execute: (vault: Address) =>
      wallet.writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "executeHooksRoot",
        args: [vault],
      }),
    setDev: (vault: Address, root: Hex) =>
      wallet.writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "setHooksRootDev",
        args: [vault, root],
      }),
    setPrimary: (vault: Address, next: Address) =>
      wallet.writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "setPrimaryManager",
        args: [vault, next],
      }),
    addSecondary: (vault: Address, manager: Address) =>
      wallet.writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "addSecondaryManager",
        args: [vault, manager],
      }),
    removeSecondary: (vault: Address, manager: Address) =>
      wallet.writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "removeSecondaryManager",
        args: [vault, manager],
      }),
    register: (vault: Address, primary: Address) =>
      wallet.writeContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "registerVault",
        args: [vault, primary],
      }),
  };
}

describe("VaultRegistry roles", () => {
  it("exposes the deployed roles through its views", async () => {
    const { managerOne, managerTwo } = world.accounts;
    expect(await read(vaults.alpha).primaryManager()).toBe(managerOne.address);
    expect(await read(vaults.beta).primaryManager()).toBe(managerOne.address);
    expect(await read(vaults.gamma).primaryManager()).toBe(managerTwo.address);
    expect(await read(vaults.alpha).secondaryManagers()).toEqual([managerTwo.address]);
    expect(await read(vaults.gamma).secondaryManagers()).toEqual([]);
    const isSecondary = (vault: Address, manager: Address) =>
      world.publicClient.readContract({
        address: registry,
        abi: vaultRegistryAbi,
        functionName: "isSecondaryManager",
        args: [vault, manager],
      });
    expect(await isSecondary(vaults.alpha, managerTwo.address)).toBe(true);
    expect(await isSecondary(vaults.beta, managerTwo.address)).toBe(false);
    expect(await read(vaults.beta).isRegistered()).toBe(true);
    expect(await read(world.accounts.outsider.address).isRegistered()).toBe(false);
    const all = await world.publicClient.readContract({
      address: registry,
      abi: vaultRegistryAbi,
      functionName: "getVaults",
    });
    // A/B/C (OMS mode) first, then one vault per smart-account mode.
    expect(all.slice(0, 3)).toEqual([vaults.alpha, vaults.beta, vaults.gamma]);
    expect(all).toHaveLength(6);
  });

  it("lets only the primary manage secondaries", async () => {
    const { managerOne, managerTwo, outsider, viewer } = world.accounts;
    expect((await revertOf(registryAs(managerTwo).addSecondary(vaults.alpha, viewer.address))).errorName).toBe(
      "NotPrimaryManager",
    );
    await world.mined(registryAs(managerOne).addSecondary(vaults.alpha, viewer.address));
    expect(await read(vaults.alpha).secondaryManagers()).toEqual([managerTwo.address, viewer.address]);
    const receipt = await world.mined(registryAs(managerOne).removeSecondary(vaults.alpha, managerTwo.address));
    expect(parseEventLogs({ abi: vaultRegistryAbi, logs: receipt.logs })[0]?.eventName).toBe("SecondaryManagerRemoved");
    expect(await read(vaults.alpha).secondaryManagers()).toEqual([viewer.address]);
    expect((await revertOf(registryAs(managerOne).removeSecondary(vaults.alpha, outsider.address))).errorName).toBe(
      "SecondaryManagerMissing",
    );
  });

  it("lets the owner or the current primary hand over the primary role", async () => {
    const { deployer, managerOne, managerTwo, outsider } = world.accounts;
    for (const caller of [managerTwo, outsider]) {
      expect((await revertOf(registryAs(caller).setPrimary(vaults.beta, caller.address))).errorName).toBe(
        "NotOwnerOrPrimaryManager",
      );
    }
    const receipt = await world.mined(registryAs(managerOne).setPrimary(vaults.beta, managerTwo.address));
    const [event] = parseEventLogs({ abi: vaultRegistryAbi, eventName: "PrimaryManagerChanged", logs: receipt.logs });
    expect(event?.args).toEqual({ vault: vaults.beta, previous: managerOne.address, current: managerTwo.address });
    await world.mined(registryAs(deployer).setPrimary(vaults.beta, managerOne.address));
    expect(await read(vaults.beta).primaryManager()).toBe(managerOne.address);
  });

  it("registers vaults only through the owner, once", async () => {
    const { deployer, outsider } = world.accounts;
    expect((await revertOf(registryAs(outsider).register(outsider.address, outsider.address))).errorName).toBe(
      "OwnableUnauthorizedAccount",
    );
    expect((await revertOf(registryAs(deployer).register(vaults.alpha, outsider.address))).errorName).toBe(
      "AlreadyRegistered",
    );
  });
});

describe("VaultRegistry hooks root timelock", () => {
  it("activates a proposed root only after the timelock, and the vault enforces it", async () => {
    const { managerOne, managerTwo, outsider } = world.accounts;
    const current = world.vault("svALPHA");
    const eulerOnly = buildHooksTree(
      current.merkle.hooks
        .filter((hook) => hook.label.endsWith(":ysEULER"))
        .map((hook) => ({ label: hook.label, name: hook.name, hook: hook.hook, yieldSource: hook.yield_source })),
    );
    expect((await revertOf(registryAs(managerTwo).propose(vaults.alpha, eulerOnly.root))).errorName).toBe(
      "NotPrimaryManager",
    );
    const proposal = await world.mined(registryAs(managerOne).propose(vaults.alpha, eulerOnly.root));
    const [proposed] = parseEventLogs({ abi: vaultRegistryAbi, eventName: "HooksRootProposed", logs: proposal.logs });
    const proposedAt = (await world.publicClient.getBlock({ blockNumber: proposal.blockNumber })).timestamp;
    expect(proposed?.args).toEqual({
      vault: vaults.alpha,
      root: eulerOnly.root,
      effectiveAt: proposedAt + BigInt(DAY),
    });
    expect(await read(vaults.alpha).pendingHooksRoot()).toEqual([eulerOnly.root, proposedAt + BigInt(DAY)]);

    expect((await revertOf(registryAs(outsider).execute(vaults.alpha))).errorName).toBe("TimelockNotElapsed");
    await world.advance(DAY);
    const executed = await world.mined(registryAs(outsider).execute(vaults.alpha));
    expect(
      parseEventLogs({ abi: vaultRegistryAbi, eventName: "HooksRootUpdated", logs: executed.logs })[0]?.args.root,
    ).toBe(eulerOnly.root);
    expect(await read(vaults.alpha).hooksRoot()).toBe(eulerOnly.root);
    expect((await revertOf(registryAs(outsider).execute(vaults.alpha))).errorName).toBe("NoPendingRoot");

    // The vault now accepts the new tree's leaves and refuses the old tree's proofs.
    const key = privateKeyToAccount(generatePrivateKey());
    const executor = getAddress(world.manifest.contracts.executor);
    const expiry = (await world.latestTimestamp()) + 3_600n;
    await world.mined(
      world.wallet(managerOne).writeContract({
        address: executor,
        abi: sessionKeyExecutorAbi,
        functionName: "grantSessionKey",
        args: [vaults.alpha, key.address, expiry, 1n],
        value: parseEther("1"),
      }),
    );
    const run = (args: ReturnType<typeof hooksCall>) =>
      world.wallet(key).writeContract({
        address: executor,
        abi: sessionKeyExecutorAbi,
        functionName: "executeHooks",
        args: [vaults.alpha, ...args],
      });
    expect(
      (await revertOf(run(hooksCall(current, [{ label: "Deposit4626Hook:ysAAVE", amount: 1_000n }])))).errorName,
    ).toBe("InvalidProof");
    const eulerDeposit = eulerOnly.leaves.find((leaf) => leaf.name === "Deposit4626Hook")!;
    await world.mined(run([[eulerDeposit.hook], [eulerDeposit.hookArgs], [1_000n], [0n], [eulerDeposit.proof]]));
  });

  it("allows direct roots only to the owner and only in dev mode", async () => {
    const { deployer, managerOne } = world.accounts;
    const root = `0x${"ab".repeat(32)}` as const;
    expect((await revertOf(registryAs(managerOne).setDev(vaults.gamma, root))).errorName).toBe(
      "OwnableUnauthorizedAccount",
    );
    await world.mined(registryAs(deployer).setDev(vaults.gamma, root));
    expect(await read(vaults.gamma).hooksRoot()).toBe(root);
    await world.mined(
      world
        .wallet(deployer)
        .writeContract({ address: registry, abi: vaultRegistryAbi, functionName: "disableDevMode" }),
    );
    expect((await revertOf(registryAs(deployer).setDev(vaults.gamma, root))).errorName).toBe("DevModeOff");
  });
});
