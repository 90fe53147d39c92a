import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Address, createPublicClient, encodeFunctionData, http, type LocalAccount } from "viem";
import { buildContracts } from "../../contracts/build";
import { devAssetAbi, superVaultAbi, vaultRegistryAbi, yieldSourceAbi } from "../../contracts/generated/abis";
import { DEV_ACCOUNT_ROLES, devAccount } from "../../lib/chain/dev-accounts";
import { buildHooksTree, type HookLeafInput, type HooksTree } from "../../lib/chain/hooks-tree";
import { formatVaultId } from "../../lib/defix/common";
import { DeploymentManifest } from "../../lib/deployment/manifest";
import { createTxBatch, fetchFees, type TxBatch } from "./tx-batch";
import { deployAccountWorld, fundAccountDeposits, type ModeVault } from "./world-accounts";
import {
  ACCOUNT_LABELS,
  ASSET,
  DEPOSITOR_WALLET_BALANCE,
  HOOKS_ROOT_TIMELOCK_SECONDS,
  MODE_VAULTS,
  VAULTS,
  YIELD_SOURCES,
} from "./world-config";

export interface DeployWorldOptions {
  rpcUrl: string;
  /** Writes `${dataDir}/deployment.json` unless `manifestPath` is given. */
  dataDir?: string;
  manifestPath?: string;
}

interface CoreContracts {
  asset: Address;
  sources: Address[];
  registry: Address;
  depositHook: Address;
  redeemHook: Address;
  executor: Address;
}

async function deployCore(batch: TxBatch, deployer: LocalAccount): Promise<CoreContracts> {
  const asset = await batch.deploy(deployer, "DevAsset");
  const sources: Address[] = [];
  for (const source of YIELD_SOURCES)
    sources.push(await batch.deploy(deployer, "YieldSource", [asset, source.name, source.symbol]));
  const registry = await batch.deploy(deployer, "VaultRegistry", [deployer.address, HOOKS_ROOT_TIMELOCK_SECONDS, true]);
  const depositHook = await batch.deploy(deployer, "Deposit4626Hook");
  const redeemHook = await batch.deploy(deployer, "Redeem4626Hook");
  const executor = await batch.deploy(deployer, "SessionKeyExecutor", [registry]);
  return { asset, sources, registry, depositHook, redeemHook, executor };
}

/** Every vault may deposit into and redeem from every yield source: 6 leaves. */
function hookLeaves(core: CoreContracts): HookLeafInput[] {
  return YIELD_SOURCES.flatMap((source, index) => [
    {
      label: `Deposit4626Hook:${source.symbol}`,
      name: "Deposit4626Hook" as const,
      hook: core.depositHook,
      yieldSource: core.sources[index]!,
    },
    {
      label: `Redeem4626Hook:${source.symbol}`,
      name: "Redeem4626Hook" as const,
      hook: core.redeemHook,
      yieldSource: core.sources[index]!,
    },
  ]);
}

/** Seed liquidity and donations so each source starts with a different share price. */
async function seedYieldSources(batch: TxBatch, deployer: LocalAccount, core: CoreContracts): Promise<void> {
  const total = YIELD_SOURCES.reduce((sum, source) => sum + source.seed + source.donation, 0n);
  const mint = encodeFunctionData({ abi: devAssetAbi, functionName: "mint", args: [deployer.address, total] });
  await batch.call(deployer, "mint seed liquidity", core.asset, mint);
  for (const [index, source] of YIELD_SOURCES.entries()) {
    const target = core.sources[index]!;
    const approve = encodeFunctionData({ abi: devAssetAbi, functionName: "approve", args: [target, source.seed] });
    await batch.call(deployer, `approve ${source.symbol}`, core.asset, approve);
    const deposit = encodeFunctionData({
      abi: yieldSourceAbi,
      functionName: "deposit",
      args: [source.seed, deployer.address],
    });
    await batch.call(deployer, `seed ${source.symbol}`, target, deposit);
    if (source.donation === 0n) continue;
    const donate = encodeFunctionData({ abi: devAssetAbi, functionName: "transfer", args: [target, source.donation] });
    await batch.call(deployer, `donate to ${source.symbol}`, core.asset, donate);
  }
}

/** Every seeded vault's config, OMS-mode A/B/C first, then one per smart-account mode. */
const ALL_VAULTS = [...VAULTS, ...MODE_VAULTS];

async function depositUserFunds(batch: TxBatch, asset: Address, vaults: Address[]): Promise<void> {
  const depositor = devAccount(DEV_ACCOUNT_ROLES.depositor);
  for (const [index, config] of ALL_VAULTS.entries()) {
    const vault = vaults[index]!;
    const approve = encodeFunctionData({
      abi: devAssetAbi,
      functionName: "approve",
      args: [vault, config.userDeposit],
    });
    await batch.call(depositor, `approve ${config.symbol}`, asset, approve);
    const deposit = encodeFunctionData({
      abi: superVaultAbi,
      functionName: "deposit",
      args: [config.userDeposit, depositor.address],
    });
    await batch.call(depositor, `deposit into ${config.symbol}`, vault, deposit);
  }
}

/** Manifest fields of a smart-account-mode vault; OMS-mode vaults get `account_mode: "OMS"` only. */
function modeFields(vault: ModeVault | undefined) {
  if (!vault) return { account_mode: "OMS" as const };
  return {
    account_mode: vault.config.mode,
    key_holder: vault.keyHolder,
    ...(vault.companion ? { companion: vault.companion } : {}),
    ...(vault.delegateEoa ? { delegate_eoa: vault.delegateEoa } : {}),
  };
}

function writeManifest(manifest: DeploymentManifest, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename: a process watching the file never reads half a manifest.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Deploys and seeds the dev world on `rpcUrl`; returns the validated manifest (and writes it if asked). */
export async function deployWorld(options: DeployWorldOptions): Promise<DeploymentManifest> {
  // A fresh clone has no contracts/out yet; when sources are unchanged this is only a hash check.
  buildContracts({ writeGenerated: false });
  const client = createPublicClient({ transport: http(options.rpcUrl), pollingInterval: 50 });
  const chainId = await client.getChainId();
  const batch = createTxBatch(client, chainId, await fetchFees(client));
  const deployer = devAccount(DEV_ACCOUNT_ROLES.deployer);

  // Phase 1, deployer only: one sender's nonce order makes every step see the previous one.
  const core = await deployCore(batch, deployer);
  const vaults: Address[] = [];
  const trees: HooksTree[] = [];
  for (const config of VAULTS) {
    vaults.push(
      await batch.deploy(deployer, "SuperVault", [
        core.asset,
        config.name,
        config.symbol,
        core.registry,
        core.executor,
      ]),
    );
  }
  const accountWorld = await deployAccountWorld(batch, deployer, core);
  vaults.push(...accountWorld.vaults.map((vault) => vault.address));
  for (const [index, config] of ALL_VAULTS.entries()) {
    const vault = vaults[index]!;
    const primary = devAccount(config.primary).address;
    await batch.call(
      deployer,
      `register ${config.symbol}`,
      core.registry,
      encodeFunctionData({ abi: vaultRegistryAbi, functionName: "registerVault", args: [vault, primary] }),
    );
    const tree = buildHooksTree(hookLeaves(core));
    trees.push(tree);
    await batch.call(
      deployer,
      `hooks root ${config.symbol}`,
      core.registry,
      encodeFunctionData({ abi: vaultRegistryAbi, functionName: "setHooksRootDev", args: [vault, tree.root] }),
    );
  }
  await fundAccountDeposits(batch, deployer, accountWorld);
  await seedYieldSources(batch, deployer, core);
  const depositor = devAccount(DEV_ACCOUNT_ROLES.depositor).address;
  const userTotal = ALL_VAULTS.reduce((sum, config) => sum + config.userDeposit, DEPOSITOR_WALLET_BALANCE);
  await batch.call(
    deployer,
    "mint depositor funds",
    core.asset,
    encodeFunctionData({ abi: devAssetAbi, functionName: "mint", args: [depositor, userTotal] }),
  );
  await batch.settle();

  // Phase 2, other senders, which depend on phase 1 being mined.
  for (const [index, config] of ALL_VAULTS.entries()) {
    for (const secondary of config.secondaries) {
      const data = encodeFunctionData({
        abi: vaultRegistryAbi,
        functionName: "addSecondaryManager",
        args: [vaults[index]!, devAccount(secondary).address],
      });
      await batch.call(devAccount(config.primary), `secondary of ${config.symbol}`, core.registry, data);
    }
  }
  await depositUserFunds(batch, core.asset, vaults);
  // Appended after everything else, so no earlier address moves: a contract wallet owned by manager one.
  const walletOwner = devAccount(DEV_ACCOUNT_ROLES.managerOne).address;
  const treasury = await batch.deploy(deployer, "DevContractWallet", [walletOwner]);
  await batch.settle();

  const manifest = DeploymentManifest.parse({
    version: 1,
    chain_id: chainId,
    rpc_url: options.rpcUrl,
    deployed_at: new Date().toISOString(),
    deployer: deployer.address,
    explorer_url: null,
    contracts: {
      asset: { address: core.asset, ...ASSET },
      registry: core.registry,
      executor: core.executor,
      entry_point: accountWorld.entryPoint,
      account_7702: accountWorld.account7702,
      hooks: { deposit4626: core.depositHook, redeem4626: core.redeemHook },
      yield_sources: YIELD_SOURCES.map((source, index) => ({
        address: core.sources[index]!,
        name: source.name,
        symbol: source.symbol,
      })),
      contract_wallets: [{ address: treasury, owner: walletOwner, label: "Treasury (contract wallet of manager one)" }],
    },
    vaults: ALL_VAULTS.map((config, index) => ({
      vault_id: formatVaultId(chainId, vaults[index]!),
      address: vaults[index]!,
      name: config.name,
      symbol: config.symbol,
      strategy: vaults[index]!,
      primary_manager: devAccount(config.primary).address,
      secondary_managers: config.secondaries.map((secondary) => devAccount(secondary).address),
      yield_sources: core.sources,
      ...modeFields(accountWorld.vaults.find((vault) => vault.address === vaults[index])),
      merkle: {
        root: trees[index]!.root,
        tree: trees[index]!.dump,
        hooks: trees[index]!.leaves.map((leaf) => ({
          label: leaf.label,
          name: leaf.name,
          hook: leaf.hook,
          hook_args: leaf.hookArgs,
          yield_source: leaf.yieldSource,
          leaf: leaf.leaf,
          proof: leaf.proof,
        })),
      },
    })),
    accounts: ACCOUNT_LABELS.map(({ index, label }) => ({ index, address: devAccount(index).address, label })),
  });
  const file = options.manifestPath ?? (options.dataDir ? path.join(options.dataDir, "deployment.json") : undefined);
  if (file) writeManifest(manifest, file);
  return manifest;
}
