"use client";

import "@rainbow-me/rainbowkit/styles.css";
import { connectorsForWallets, RainbowKitAuthenticationProvider, RainbowKitProvider } from "@rainbow-me/rainbowkit";
import type { Session } from "next-auth";
import { SessionProvider, useSession } from "next-auth/react";
import { type ReactNode, useMemo, useState } from "react";
import { http } from "viem";
import { cookieStorage, createConfig, createStorage, WagmiProvider } from "wagmi";
import { browserWallet } from "./browser-wallet";
import { type ChainProps, deploymentChain } from "./chain";
import { kitTheme } from "./kit-theme";
import { createSiweAdapter } from "./siwe-adapter";

interface WalletProvidersProps {
  chain: ChainProps;
  /** Sign-in page: RainbowKit drives SIWE through next-auth. Pages that only send transactions leave it off. */
  withSiwe?: boolean;
  onSiweRefused?: (reason: string) => void;
  /**
   * The session the server already knows (null = signed out). Without it the session starts "loading",
   * and RainbowKit closes an open connect modal when that settles to "unauthenticated".
   */
  initialSession?: Session | null;
  children: ReactNode;
}

/**
 * Wagmi → (next-auth session → RainbowKit SIWE) → RainbowKit, inside the app's one React Query client
 * (lib/query/provider.tsx, mounted by the page's layout): wagmi's queries and the pages' queries share one cache,
 * its 401 handling and its retry settings. Only the pages that sign (sign-in, the canvas) render this,
 * so other pages never download wallet code. Wallets: whatever the browser injects (EIP-6963 discovery,
 * and window.ethereum when it does not announce itself); WalletConnect needs a relay this offline setup
 * does not have.
 */
export function WalletProviders({
  chain,
  withSiwe = false,
  onSiweRefused,
  initialSession,
  children,
}: WalletProvidersProps) {
  const [config] = useState(() => {
    const viemChain = deploymentChain(chain);
    return createConfig({
      chains: [viemChain],
      connectors: connectorsForWallets([{ groupName: "Installed", wallets: [browserWallet] }], {
        appName: "DeFiX console",
        projectId: "defix-console-local",
      }),
      transports: { [viemChain.id]: http(chain.rpcUrl) },
      ssr: true,
      storage: createStorage({ storage: cookieStorage }),
    });
  });
  const kit = (
    <RainbowKitProvider initialChain={chain.id} theme={kitTheme}>
      {children}
    </RainbowKitProvider>
  );

  return (
    <WagmiProvider config={config}>
      {withSiwe ? (
        <SessionProvider session={initialSession} refetchOnWindowFocus={false}>
          <SiweAuthentication onRefused={onSiweRefused}>{kit}</SiweAuthentication>
        </SessionProvider>
      ) : (
        kit
      )}
    </WagmiProvider>
  );
}

function SiweAuthentication({ onRefused, children }: { onRefused?: (reason: string) => void; children: ReactNode }) {
  const { status } = useSession();
  const adapter = useMemo(() => createSiweAdapter((reason) => onRefused?.(reason)), [onRefused]);
  return (
    <RainbowKitAuthenticationProvider adapter={adapter} status={status}>
      {children}
    </RainbowKitAuthenticationProvider>
  );
}
