import path from "node:path";
import { createPublicClient, createWalletClient, getAddress, http } from "viem";
import { foundry } from "viem/chains";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { AccountMode } from "../../../lib/defix/intents";
import { type ManifestVault, vaultAccountMode } from "../../../lib/deployment/manifest";
import { delegationCode } from "../../../oms/keys/delegation";
import type { ExtraEnv, World } from "../../bench/lib/world";
import { startBundler } from "../../lib/bundler";

export const ACCOUNT_MODES: readonly AccountMode[] = ["OMS", "EIP4337", "EIP4337_COMPANION", "EIP7702"];

export const isUserOpMode = (mode: AccountMode) => mode === "EIP4337" || mode === "EIP4337_COMPANION";

/** The dev world's first vault that runs in `mode` (docs/ARCHITECTURE.md "Account modes": A, svDELTA, …). */
export function vaultOfMode(world: World, mode: AccountMode): ManifestVault {
  const vault = world.manifest.vaults.find((v) => vaultAccountMode(v) === mode);
  if (vault === undefined) throw new Error(`the dev world has no ${mode} vault`);
  return vault;
}

export interface ModeSide {
  /** Extra OMS env: `BUNDLER_URL` when a bundler runs. */
  env: ExtraEnv;
  stop(): Promise<void>;
}

/**
 * What a world needs before an OMS can run intents in `modes`: a local alto (bundler log under the world's logs)
 * for the 4337 modes, and for EIP7702 the strategy EOA's delegation, signed and sent as the manager's wallet does
 * it in the canvas. One bundler serves every 4337 vault of the world.
 */
export async function prepareModes(
  world: World,
  modes: readonly AccountMode[],
  options: { bundlerPort?: number } = {},
): Promise<ModeSide> {
  if (modes.includes("EIP7702")) await delegate7702(world, vaultOfMode(world, "EIP7702"));
  const entryPoint = world.manifest.contracts.entry_point;
  if (!modes.some(isUserOpMode)) return { env: {}, stop: async () => {} };
  if (entryPoint === undefined) throw new Error("the world has no EntryPoint (contracts.entry_point)");
  const bundler = await startBundler({
    rpcUrl: world.rpcUrl,
    entryPoint,
    port: options.bundlerPort,
    logFile: path.join(world.dataDir, "alto.log"),
  });
  return { env: { BUNDLER_URL: bundler.url }, stop: () => bundler.stop() };
}

/** EIP-7702: the strategy EOA (a dev account) delegates to the project's account implementation, once. */
async function delegate7702(world: World, vault: ManifestVault): Promise<void> {
  const implementation = world.manifest.contracts.account_7702;
  const eoa = vault.delegate_eoa;
  if (implementation === undefined || eoa === undefined) throw new Error(`${vault.vault_id} has no 7702 delegation`);
  const index = world.manifest.accounts.find((account) => getAddress(account.address) === getAddress(eoa))?.index;
  if (index === undefined) throw new Error(`the strategy EOA ${eoa} is not a dev account`);
  const wallet = createWalletClient({
    account: devAccount(index),
    chain: { ...foundry, id: world.manifest.chain_id },
    transport: http(world.rpcUrl),
  });
  const client = createPublicClient({ transport: http(world.rpcUrl) });
  if ((await client.getCode({ address: eoa })) === delegationCode(implementation)) return;
  const authorization = await wallet.signAuthorization({ contractAddress: implementation, executor: "self" });
  const hash = await wallet.sendTransaction({ to: eoa, authorizationList: [authorization] });
  await client.waitForTransactionReceipt({ hash });
  const delegated = await client.getCode({ address: eoa });
  if (delegated !== delegationCode(implementation)) throw new Error(`${eoa} did not delegate (code ${delegated})`);
}
