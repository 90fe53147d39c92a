import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, http } from "viem";
import { entryPoint08Abi } from "viem/account-abstraction";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAssetAbi, superVaultAbi, yieldSourceAbi } from "../../contracts/generated/abis";
import { DEV_ACCOUNT_ROLES, devAccount } from "../../lib/chain/dev-accounts";
import { loadManifest } from "../../lib/deployment/manifest";
import { type AnvilInstance, startAnvil } from "../../test/anvil";
import { deployWorld } from "./world";
import { ACCOUNT_ENTRYPOINT_DEPOSIT, DEPOSITOR_WALLET_BALANCE, DUSD, MODE_VAULTS, VAULTS } from "./world-config";

let chain: AnvilInstance;
let dataDir: string;

beforeAll(async () => {
  // Interval mining: the batched sender must not depend on automine ordering.
  chain = await startAnvil({ quiet: true, blockTime: 1 });
  dataDir = mkdtempSync(path.join(tmpdir(), "defix-deploy-"));
});
afterAll(async () => {
  await chain?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("deployWorld", () => {
  it("seeds six funded vaults (three OMS-mode, one per smart-account mode) and writes a valid manifest", async () => {
    const manifest = await deployWorld({ rpcUrl: chain.rpcUrl, dataDir });
    expect(loadManifest(path.join(dataDir, "deployment.json"))).toEqual(manifest);

    const client = createPublicClient({ transport: http(chain.rpcUrl) });
    expect(manifest.vaults.map((vault) => vault.primary_manager)).toEqual([
      devAccount(DEV_ACCOUNT_ROLES.managerOne).address.toLowerCase(),
      devAccount(DEV_ACCOUNT_ROLES.managerOne).address.toLowerCase(),
      devAccount(DEV_ACCOUNT_ROLES.managerTwo).address.toLowerCase(),
      devAccount(DEV_ACCOUNT_ROLES.managerOne).address.toLowerCase(),
      devAccount(DEV_ACCOUNT_ROLES.managerOne).address.toLowerCase(),
      devAccount(DEV_ACCOUNT_ROLES.managerTwo).address.toLowerCase(),
    ]);
    expect(manifest.vaults.map((vault) => vault.account_mode)).toEqual([
      "OMS",
      "OMS",
      "OMS",
      "EIP4337",
      "EIP4337_COMPANION",
      "EIP7702",
    ]);
    const [, , , delta, epsilon, zeta] = manifest.vaults;
    expect(delta!.key_holder).toBe(delta!.address);
    expect(epsilon!.companion).toBe(epsilon!.key_holder);
    expect(zeta!.delegate_eoa).toBe(zeta!.primary_manager);
    // The EntryPoint is the canonical v0.8 build and answers as one; each 4337 account holds a deposit.
    for (const account of [delta!, epsilon!]) {
      const executor = await client.readContract({
        address: account.address,
        abi: superVaultAbi,
        functionName: "executor",
      });
      expect(executor.toLowerCase()).toBe(
        account.account_mode === "EIP4337" ? manifest.contracts.entry_point : account.companion,
      );
      const deposit = await client.readContract({
        address: manifest.contracts.entry_point!,
        abi: entryPoint08Abi,
        functionName: "balanceOf",
        args: [account.key_holder!],
      });
      expect(deposit).toBe(ACCOUNT_ENTRYPOINT_DEPOSIT);
    }
    for (const [index, vault] of manifest.vaults.entries()) {
      const total = await client.readContract({
        address: vault.address,
        abi: superVaultAbi,
        functionName: "totalAssets",
      });
      expect(total).toBe([...VAULTS, ...MODE_VAULTS][index]!.userDeposit);
      expect(vault.merkle.hooks).toHaveLength(6);
    }
    const depositor = devAccount(DEV_ACCOUNT_ROLES.depositor).address;
    const wallet = await client.readContract({
      address: manifest.contracts.asset.address,
      abi: devAssetAbi,
      functionName: "balanceOf",
      args: [depositor],
    });
    expect(wallet).toBe(DEPOSITOR_WALLET_BALANCE);

    // Distinct share prices give a rebalance somewhere better to go.
    const prices = await Promise.all(
      manifest.contracts.yield_sources.map((source) =>
        client.readContract({
          address: source.address,
          abi: yieldSourceAbi,
          functionName: "convertToAssets",
          args: [DUSD],
        }),
      ),
    );
    expect(new Set(prices).size).toBe(prices.length);
    expect(manifest.accounts.map((account) => account.index)).toEqual([0, 1, 2, 3, 4, 9]);

    // dUSD is minted only by the deployer (through this script), never by a user.
    const mintAsDepositor = client.simulateContract({
      account: depositor,
      address: manifest.contracts.asset.address,
      abi: devAssetAbi,
      functionName: "mint",
      args: [depositor, DUSD],
    });
    await expect(mintAsDepositor).rejects.toThrow(/NotMinter/);
  });
});
