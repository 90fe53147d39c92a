import { type Address, type Hex, keccak256 } from "viem";
import type { DeploymentManifest } from "../../../lib/deployment/manifest";
import type { ChainGateway, MinedReceipt } from "../../../oms/chain/gateway";

/**
 * An instant, in-process chain for the engine benchmark: every simulation succeeds, every sent
 * transaction is mined at once, so the figure is the engine's own cost (store, signing, scheduling).
 */
export function createInstantChain(manifest: DeploymentManifest): ChainGateway & { sent(): number } {
  const mined = new Map<string, MinedReceipt>();
  let block = 1;
  const rootOf = new Map(manifest.vaults.map((vault) => [vault.address.toLowerCase(), vault.merkle.root as Hex]));
  const plenty = 10n ** 30n;
  return {
    chainId: manifest.chain_id,
    sent: () => mined.size,
    hooksRoot: async (vault: Address) => rootOf.get(vault.toLowerCase()) ?? "0x",
    vaultState: async () => ({
      vault_free_assets: plenty,
      vault_total_assets: plenty,
      position_assets: plenty,
      position_shares: plenty,
    }),
    previewDeposit: async (_source, assets) => assets,
    previewWithdraw: async (_source, assets) => assets,
    simulate: async () => ({ ok: true, outputs: [plenty, plenty], gas: 200_000n }),
    fees: async () => ({ maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n }),
    pendingNonce: async () => 0,
    blockNumber: async () => block,
    async sendRaw(raw: Hex) {
      block++;
      mined.set(keccak256(raw), {
        status: "success",
        blockNumber: block,
        gasUsed: 150_000,
        effectiveGasPriceWei: 1_500_000_000n,
        minedAt: new Date().toISOString(),
        hookExecutions: [],
      });
      return { kind: "sent" };
    },
    receipt: async (hash: Hex) => mined.get(hash) ?? null,
    isKnown: async (hash: Hex) => mined.has(hash),
    revertReason: async () => null,
  };
}
