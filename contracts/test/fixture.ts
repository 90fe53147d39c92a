import {
  type Abi,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeErrorResult,
  type Hash,
  http,
  type LocalAccount,
  type PublicClient,
  type TestClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import type { HDAccount } from "viem/accounts";
import { anvil } from "viem/chains";
import { DEV_ACCOUNT_ROLES, devAccount } from "../../lib/chain/dev-accounts";
import type { DeploymentManifest, ManifestVault } from "../../lib/deployment/manifest";
import { deployWorld } from "../../scripts/deploy/world";
import { type AnvilInstance, startAnvil } from "../../test/anvil";
import * as abis from "../generated/abis";

/** One anvil with the dev world deployed, per test file, plus clients and assertion helpers. */

export type Wallet = WalletClient<Transport, Chain, LocalAccount>;

export interface World {
  anvil: AnvilInstance;
  manifest: DeploymentManifest;
  publicClient: PublicClient;
  testClient: TestClient;
  accounts: { [role in keyof typeof DEV_ACCOUNT_ROLES]: HDAccount };
  wallet(account: LocalAccount): Wallet;
  vault(symbol: string): ManifestVault;
  /** Waits for `hash` and fails the test when it reverted. */
  mined(hash: Promise<Hash> | Hash): Promise<TransactionReceipt>;
  /** Moves chain time forward and mines a block so `block.timestamp` reflects it. */
  advance(seconds: number): Promise<void>;
  latestTimestamp(): Promise<bigint>;
  stop(): Promise<void>;
}

export async function setupWorld(): Promise<World> {
  const chain = await startAnvil({ quiet: true });
  try {
    const manifest = await deployWorld({ rpcUrl: chain.rpcUrl });
    const transport = http(chain.rpcUrl);
    const publicClient = createPublicClient({ chain: anvil, transport, pollingInterval: 50 });
    const testClient = createTestClient({ chain: anvil, mode: "anvil", transport });
    const accounts = Object.fromEntries(
      Object.entries(DEV_ACCOUNT_ROLES).map(([role, index]) => [role, devAccount(index)]),
    ) as World["accounts"];
    return {
      anvil: chain,
      manifest,
      publicClient,
      testClient,
      accounts,
      wallet: (account) => createWalletClient({ account, chain: anvil, transport }),
      vault(symbol) {
        const vault = manifest.vaults.find((candidate) => candidate.symbol === symbol);
        if (!vault) throw new Error(`no vault ${symbol} in the manifest`);
        return vault;
      },
      async mined(hash) {
        const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash, pollingInterval: 50 });
        if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
        return receipt;
      },
      async advance(seconds) {
        await testClient.increaseTime({ seconds });
        await testClient.mine({ blocks: 1 });
      },
      async latestTimestamp() {
        return (await publicClient.getBlock()).timestamp;
      },
      stop: () => chain.stop(),
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/** Every custom error of our contracts, so a revert bubbled through the executor still decodes. */
export const allErrors: Abi = Object.values(abis).flatMap((abi) =>
  (abi as Abi).filter((item) => item.type === "error"),
);

export interface DecodedRevert {
  errorName: string;
  args: readonly unknown[];
}

/** Resolves to the custom error `action` reverted with; fails when it did not revert with one. */
export async function revertOf(action: Promise<unknown>): Promise<DecodedRevert> {
  const outcome = await action.then(
    () => null,
    (error: unknown) => error,
  );
  if (outcome === null) throw new Error("expected a revert, but the call succeeded");
  if (!(outcome instanceof BaseError)) throw outcome;
  const revert = outcome.walk((error) => error instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) throw outcome;
  if (revert.data?.errorName) return { errorName: revert.data.errorName, args: revert.data.args ?? [] };
  if (!revert.raw) throw outcome;
  const decoded = decodeErrorResult({ abi: allErrors, data: revert.raw });
  return { errorName: decoded.errorName, args: decoded.args ?? [] };
}
