import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, encodeAbiParameters, getAddress, type Hex, keccak256, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeHookArgs, HOOK_LEAF_TYPES } from "../../lib/chain/hooks-tree";
import { loadArtifact } from "../artifacts";
import { sessionKeyExecutorAbi, vaultRegistryAbi } from "../generated/abis";
import { revertOf, setupWorld, type World } from "./fixture";
import { type ExecuteHooksArgs, hooksCall, leafOf, PREVIOUS_OUTPUT } from "./hooks-call";

const key = privateKeyToAccount(generatePrivateKey());

let world: World;
let alpha: Address;
let executor: Address;

beforeAll(async () => {
  world = await setupWorld();
  alpha = getAddress(world.vault("svALPHA").address);
  executor = getAddress(world.manifest.contracts.executor);
  const expiry = (await world.latestTimestamp()) + 86_400n;
  const grant = world.wallet(world.accounts.managerOne).writeContract({
    address: executor,
    abi: sessionKeyExecutorAbi,
    functionName: "grantSessionKey",
    args: [alpha, key.address, expiry, 1n],
    value: parseEther("1"),
  });
  await world.mined(grant);
});
afterAll(async () => world?.stop());

function execute(args: ExecuteHooksArgs) {
  return world.wallet(key).writeContract({
    address: executor,
    abi: sessionKeyExecutorAbi,
    functionName: "executeHooks",
    args: [alpha, ...args],
  });
}

async function deployFresh(name: string, args: readonly unknown[] = []): Promise<Address> {
  const artifact = loadArtifact(name);
  const hash = world
    .wallet(world.accounts.deployer)
    .deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args });
  const receipt = await world.mined(hash);
  return receipt.contractAddress!;
}

describe("published hooks merkle tree", () => {
  it("matches the on-chain root and uses the double-hashed (address, bytes) leaf", async () => {
    for (const vault of world.manifest.vaults) {
      const onChain = await world.publicClient.readContract({
        address: world.manifest.contracts.registry,
        abi: vaultRegistryAbi,
        functionName: "hooksRoot",
        args: [vault.address],
      });
      expect(onChain).toBe(vault.merkle.root);
      const tree = StandardMerkleTree.load(
        vault.merkle.tree as Parameters<typeof StandardMerkleTree.load<[string, string]>>[0],
      );
      expect(tree.root).toBe(vault.merkle.root);
      for (const hook of vault.merkle.hooks) {
        const inner = keccak256(
          encodeAbiParameters([{ type: "address" }, { type: "bytes" }], [hook.hook, hook.hook_args]),
        );
        expect(keccak256(inner)).toBe(hook.leaf);
        expect(hook.hook_args).toBe(encodeHookArgs(hook.yield_source).toLowerCase());
        expect(
          StandardMerkleTree.verify(vault.merkle.root, [...HOOK_LEAF_TYPES], [hook.hook, hook.hook_args], hook.proof),
        ).toBe(true);
      }
    }
  });
});

describe("SuperVault merkle check", () => {
  it("accepts every published leaf (deposit and redeem on each source in one call)", async () => {
    const labels = world.vault("svALPHA").merkle.hooks.map((hook) => hook.label);
    expect(labels).toHaveLength(6);
    const steps = labels.map((label, index) => ({ label, amount: index === 0 ? 1_000_000_000n : PREVIOUS_OUTPUT }));
    // Order the published leaves as deposit A, redeem A, deposit B, ... so each redeem has shares to return.
    await world.mined(execute(hooksCall(world.vault("svALPHA"), steps)));
  });

  it("rejects a hook that is not in the tree, even with a valid leaf's args and proof", async () => {
    const impostor = await deployFresh("Deposit4626Hook");
    const [, args, amounts, minOutputs, proofs] = hooksCall(world.vault("svALPHA"), [
      { label: "Deposit4626Hook:ysAAVE", amount: 1_000n },
    ]);
    expect(await revertOf(execute([[impostor], args, amounts, minOutputs, proofs]))).toEqual({
      errorName: "InvalidProof",
      args: [0n],
    });
  });

  it("rejects hook args naming a target outside the tree, at the index where it appears", async () => {
    const rogue = await deployFresh("YieldSource", [world.manifest.contracts.asset.address, "Rogue", "ROGUE"]);
    const [hooks, args, amounts, minOutputs, proofs] = hooksCall(world.vault("svALPHA"), [
      { label: "Deposit4626Hook:ysAAVE", amount: 1_000n },
      { label: "Deposit4626Hook:ysMORPHO", amount: 1_000n },
    ]);
    const forged: Hex[] = [args[0]!, encodeHookArgs(rogue)];
    expect(await revertOf(execute([hooks, forged, amounts, minOutputs, proofs]))).toEqual({
      errorName: "InvalidProof",
      args: [1n],
    });
  });

  it("rejects a proof that belongs to another leaf, and an empty proof", async () => {
    const vault = world.vault("svALPHA");
    const [hooks, args, amounts, minOutputs] = hooksCall(vault, [{ label: "Deposit4626Hook:ysAAVE", amount: 1_000n }]);
    const otherProof = leafOf(vault, "Redeem4626Hook:ysEULER").proof;
    expect(await revertOf(execute([hooks, args, amounts, minOutputs, [otherProof]]))).toEqual({
      errorName: "InvalidProof",
      args: [0n],
    });
    expect(await revertOf(execute([hooks, args, amounts, minOutputs, [[]]]))).toEqual({
      errorName: "InvalidProof",
      args: [0n],
    });
  });
});
