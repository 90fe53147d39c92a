import "server-only";
import { currentManifest } from "@/lib/auth/server-config";
import type { ChainContext } from "@/lib/format/tokens";

/**
 * The slice of the deployment manifest the monitoring pages need (token symbols and decimals,
 * vault names, explorer). Yield-source and vault shares are OpenZeppelin ERC-4626 tokens without
 * a decimals offset, so they carry the asset's decimals. Null before the first deploy.
 */
export function loadChainContext(): ChainContext | null {
  const manifest = currentManifest();
  if (!manifest) return null;
  const { asset, yield_sources: sources } = manifest.contracts;
  return {
    chainId: manifest.chain_id,
    explorerUrl: manifest.explorer_url,
    asset: { address: asset.address, symbol: asset.symbol, decimals: asset.decimals },
    tokens: [
      { address: asset.address, symbol: asset.symbol, decimals: asset.decimals },
      ...sources.map((source) => ({ address: source.address, symbol: source.symbol, decimals: asset.decimals })),
      ...manifest.vaults.map((vault) => ({ address: vault.address, symbol: vault.symbol, decimals: asset.decimals })),
    ],
    vaults: manifest.vaults.map((vault) => ({
      vaultId: vault.vault_id.toLowerCase(),
      address: vault.address,
      name: vault.name,
      symbol: vault.symbol,
    })),
  };
}
