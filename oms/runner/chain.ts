import { createPublicClient, http, type PublicClient, parseAbi } from "viem";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { SourceSnapshot, VaultSnapshot } from "./rules";

// Only the views the rules need; kept here so the runner does not depend on the full generated ABIs.
const vaultAbi = parseAbi([
  "function freeAssets() view returns (uint256)",
  "function positions() view returns (address[] sources, uint256[] shares, uint256[] assets)",
]);
const sourceAbi = parseAbi(["function convertToAssets(uint256 shares) view returns (uint256)"]);

export interface ChainReader {
  snapshot(vault: ManifestVault): Promise<VaultSnapshot>;
}

export function createChainReader(options: { rpcUrl: string; decimals: number }): ChainReader {
  const client: PublicClient = createPublicClient({ transport: http(options.rpcUrl, { timeout: 10_000 }) });
  const oneShare = 10n ** BigInt(options.decimals);
  return {
    async snapshot(vault) {
      const [freeAssets, [sources, shares, assets]] = await Promise.all([
        client.readContract({ address: vault.address, abi: vaultAbi, functionName: "freeAssets" }),
        client.readContract({ address: vault.address, abi: vaultAbi, functionName: "positions" }),
      ]);
      const prices = await Promise.all(
        vault.yield_sources.map((source) =>
          client.readContract({ address: source, abi: sourceAbi, functionName: "convertToAssets", args: [oneShare] }),
        ),
      );
      const snapshots: SourceSnapshot[] = vault.yield_sources.map((address, i) => {
        const at = sources.findIndex((s) => s.toLowerCase() === address);
        return {
          address,
          sharePrice: prices[i] ?? 0n,
          positionShares: at >= 0 ? (shares[at] ?? 0n) : 0n,
          positionAssets: at >= 0 ? (assets[at] ?? 0n) : 0n,
        };
      });
      return { freeAssets, sources: snapshots };
    },
  };
}
