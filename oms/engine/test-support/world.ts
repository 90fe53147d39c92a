import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  parseEther,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { sessionKeyExecutorAbi } from "../../../contracts/generated/abis";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { Readiness } from "../../../lib/defix";
import type { DeploymentManifest, ManifestVault } from "../../../lib/deployment/manifest";
import { deployWorld } from "../../../scripts/deploy/world";
import { type AnvilInstance, startAnvil } from "../../../test/anvil";
import type { ChainGateway } from "../../chain/gateway";
import { rpcConnection } from "../../chain/rpc-transport";
import { createViemGateway } from "../../chain/viem-gateway";
import type { SessionKeyProvider } from "../../domain/session-key-provider";

export interface TestWorld {
  anvil: AnvilInstance;
  manifest: DeploymentManifest;
  client: PublicClient;
  chain: ChainGateway;
  rpc<T>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/** A fresh anvil with the dev world deployed (automine; switch with `setIntervalMining`). */
export async function startTestWorld(): Promise<TestWorld> {
  const anvil = await startAnvil({ quiet: true });
  try {
    const manifest = await deployWorld({ rpcUrl: anvil.rpcUrl });
    const client = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl), pollingInterval: 50 });
    const node = rpcConnection(anvil.rpcUrl);
    const chain = createViemGateway({
      rpc: node,
      chainId: manifest.chain_id,
      registry: manifest.contracts.registry,
      pollingIntervalMs: 50,
    });
    return {
      anvil,
      manifest,
      client,
      chain,
      rpc: <T>(method: string, params: unknown[] = []) => client.request({ method, params } as never) as Promise<T>,
      stop: () => {
        node.close();
        return anvil.stop();
      },
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/** Interval mining: blocks every `seconds`, transactions wait in the pool in between. */
export async function setIntervalMining(world: TestWorld, seconds: number): Promise<void> {
  await world.rpc("evm_setAutomine", [false]);
  await world.rpc("evm_setIntervalMining", [seconds]);
}

export async function setAutomine(world: TestWorld): Promise<void> {
  await world.rpc("evm_setIntervalMining", [0]);
  await world.rpc("evm_setAutomine", [true]);
}

/**
 * Grants a fresh session key on-chain for `vault`, sent by its primary manager's dev account, with
 * gas money forwarded to the key. Returns the key's account.
 */
export async function grantSessionKey(world: TestWorld, vault: ManifestVault): Promise<LocalAccount> {
  const key = privateKeyToAccount(generatePrivateKey());
  const index = world.manifest.accounts.find((a) => a.address === vault.primary_manager)?.index;
  if (index === undefined) throw new Error("primary manager is not a dev account");
  const wallet = createWalletClient({
    account: devAccount(index),
    chain: foundry,
    transport: http(world.anvil.rpcUrl),
  });
  const expiry = BigInt(Math.floor(Date.now() / 1000) + 7 * 24 * 3600);
  const hash = await wallet.writeContract({
    address: world.manifest.contracts.executor,
    abi: sessionKeyExecutorAbi,
    functionName: "grantSessionKey",
    args: [vault.strategy, key.address, expiry, 1n],
    value: parseEther("10"),
    chain: { ...foundry, id: world.manifest.chain_id },
  });
  const receipt = await world.client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new Error("grantSessionKey reverted");
  return key;
}

/**
 * SessionKeyProvider from memory, with readiness read from the chain (isSessionKeyValid), so a
 * revoked or never-granted key really is not ready.
 */
export function memoryKeyProvider(world: TestWorld): SessionKeyProvider & {
  set(vaultId: string, key: LocalAccount | null): void;
} {
  const keys = new Map<string, LocalAccount>();
  const vaultOf = (vaultId: string) => {
    const vault = world.manifest.vaults.find((v) => v.vault_id === vaultId);
    if (vault === undefined) throw new Error(`unknown vault ${vaultId}`);
    return vault;
  };
  async function readiness(vaultId: string): Promise<Readiness> {
    const key = keys.get(vaultId) ?? null;
    const isValid =
      key !== null &&
      (await world.client.readContract({
        address: world.manifest.contracts.executor,
        abi: sessionKeyExecutorAbi,
        functionName: "isSessionKeyValid",
        args: [vaultOf(vaultId).strategy, key.address],
      }));
    return {
      vault_id: vaultId,
      is_ready: isValid,
      session_key_address: key === null ? null : (key.address.toLowerCase() as Address),
      expires_at: null,
      pending_rotation: false,
      reason: isValid ? null : "NO_KEY",
      pending_session_key_address: null,
      checked_at: new Date().toISOString(),
    };
  }
  return {
    readiness,
    async signerFor(vaultId) {
      return (await readiness(vaultId)).is_ready ? (keys.get(vaultId) ?? null) : null;
    },
    executionMined() {},
    set(vaultId, key) {
      if (key === null) keys.delete(vaultId);
      else keys.set(vaultId, key);
    },
  };
}

export const hexOf = (value: string) => value as Hex;
