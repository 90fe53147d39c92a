import type { TokenInfo } from "./amount";

/**
 * What the monitoring pages need to know about the deployment, serialisable from a server
 * component to the client (the manifest itself stays on the server: it holds merkle trees).
 */
export interface ChainContext {
  chainId: number;
  explorerUrl: string | null;
  asset: TokenInfo;
  tokens: TokenInfo[];
  vaults: { vaultId: string; address: string; name: string; symbol: string }[];
}

export type TokenBook = ReadonlyMap<string, TokenInfo>;

export function tokenBook(context: ChainContext): TokenBook {
  return new Map(context.tokens.map((token) => [token.address.toLowerCase(), token]));
}

export function lookupToken(book: TokenBook, address: string | null): TokenInfo | null {
  if (!address) return null;
  return book.get(address.toLowerCase()) ?? null;
}

export function vaultName(context: ChainContext, vaultId: string): string {
  return context.vaults.find((vault) => vault.vaultId === vaultId.toLowerCase())?.name ?? vaultId;
}

/** `{explorer}/tx/{hash}` when the deployment names an explorer; the local chain has none. */
export function explorerTxUrl(context: ChainContext, txHash: string): string | null {
  if (!context.explorerUrl) return null;
  return `${context.explorerUrl.replace(/\/+$/, "")}/tx/${txHash}`;
}
