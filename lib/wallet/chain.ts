import { type Chain, defineChain } from "viem";

export interface ChainProps {
  id: number;
  rpcUrl: string;
  name?: string;
}

/** The deployment's chain as wagmi sees it, built from the manifest values the server passes down. */
export function deploymentChain({ id, rpcUrl, name }: ChainProps): Chain {
  return defineChain({
    id,
    name: name ?? (id === 31337 ? "Local anvil" : `Chain ${id}`),
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    testnet: true,
  });
}
