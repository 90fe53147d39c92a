import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Address, encodeFunctionData, type LocalAccount } from "viem";
import type { Artifact } from "../../contracts/compile";
import { sessionKeyCompanionAbi } from "../../contracts/generated/abis";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { TxBatch } from "./tx-batch";
import { ACCOUNT_ENTRYPOINT_DEPOSIT, MODE_VAULTS } from "./world-config";

/** The smart-account side of the dev world: EntryPoint v0.8, the 7702 implementation, one vault per mode. */

const require = createRequire(import.meta.url);

/** EntryPoint v0.8's canonical address and the CREATE2 salt that gives it from the package's build. */
export const ENTRY_POINT_V08: Address = "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108";
const ENTRY_POINT_SALT = "0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9";

export type ModeVaultConfig = (typeof MODE_VAULTS)[number];

export interface ModeVault {
  config: ModeVaultConfig;
  address: Address;
  /** The contract holding the vault's session keys (the vault, its companion, or the delegated EOA). */
  keyHolder: Address;
  companion?: Address;
  delegateEoa?: Address;
}

export interface AccountDeployment {
  entryPoint: Address;
  account7702: Address;
  vaults: ModeVault[];
}

interface Core {
  asset: Address;
  registry: Address;
}

/** The canonical EntryPoint v0.8 build shipped by `@account-abstraction/contracts`. */
export function entryPointArtifact(): Artifact {
  const file = require.resolve("@account-abstraction/contracts/artifacts/EntryPoint.json");
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Artifact;
  return { abi: parsed.abi, bytecode: parsed.bytecode };
}

async function deployModeVault(
  batch: TxBatch,
  deployer: LocalAccount,
  core: Core,
  entryPoint: Address,
  config: ModeVaultConfig,
): Promise<ModeVault> {
  const named = [core.asset, config.name, config.symbol, core.registry] as const;
  switch (config.mode) {
    case "EIP4337": {
      const address = await batch.deploy(deployer, "SuperVaultAccount", [...named, entryPoint]);
      return { config, address, keyHolder: address };
    }
    case "EIP4337_COMPANION": {
      // The vault names its executor at construction and the companion names its vault: predict the companion.
      const companion = await batch.predictAddress(deployer, 1);
      const address = await batch.deploy(deployer, "SuperVault", [...named, companion]);
      const deployed = await batch.deploy(deployer, "SessionKeyCompanion", [core.registry, entryPoint, address]);
      if (deployed !== companion) throw new Error(`companion landed at ${deployed}, expected ${companion}`);
      return { config, address, keyHolder: companion, companion };
    }
    case "EIP7702": {
      const eoa = devAccount(config.primary).address;
      const address = await batch.deploy(deployer, "SuperVault", [...named, eoa]);
      return { config, address, keyHolder: eoa, delegateEoa: eoa };
    }
  }
}

/** Phase 1 (deployer only): EntryPoint, 7702 implementation and the mode vaults. */
export async function deployAccountWorld(
  batch: TxBatch,
  deployer: LocalAccount,
  core: Core,
): Promise<AccountDeployment> {
  // At its canonical address: bundlers (alto) tell EntryPoint versions apart by address.
  const entryPoint = await batch.deployCreate2(deployer, "EntryPoint", entryPointArtifact().bytecode, ENTRY_POINT_SALT);
  if (entryPoint !== ENTRY_POINT_V08) throw new Error(`EntryPoint landed at ${entryPoint}, not ${ENTRY_POINT_V08}`);
  const account7702 = await batch.deploy(deployer, "SessionKey7702Account", [core.registry]);
  const vaults: ModeVault[] = [];
  for (const config of MODE_VAULTS) vaults.push(await deployModeVault(batch, deployer, core, entryPoint, config));
  return { entryPoint, account7702, vaults };
}

/** Phase 1: each 4337 account's EntryPoint deposit, paid by the deployer. */
export async function fundAccountDeposits(batch: TxBatch, deployer: LocalAccount, world: AccountDeployment) {
  const data = encodeFunctionData({ abi: sessionKeyCompanionAbi, functionName: "addDeposit" });
  for (const vault of world.vaults) {
    if (vault.config.mode === "EIP7702") continue;
    await batch.call(deployer, `deposit for ${vault.config.symbol}`, vault.keyHolder, data, ACCOUNT_ENTRYPOINT_DEPOSIT);
  }
}
