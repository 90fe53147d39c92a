import type { Wallet } from "@rainbow-me/rainbowkit";
import { injectedWallet } from "@rainbow-me/rainbowkit/wallets";

/**
 * Whether `window.ethereum` is also announced through EIP-6963. Wallets answer the request event
 * synchronously (EIP-6963 §"Announce and request events"), so one dispatch tells.
 */
export function isInjectedAnnounced(): boolean {
  if (typeof window === "undefined") return false;
  const injected = (window as Window & { ethereum?: unknown }).ethereum;
  if (!injected) return false;
  let isAnnounced = false;
  const listener = (event: Event): void => {
    const detail = (event as CustomEvent<{ provider?: unknown } | undefined>).detail;
    if (detail?.provider === injected) isAnnounced = true;
  };
  window.addEventListener("eip6963:announceProvider", listener);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  window.removeEventListener("eip6963:announceProvider", listener);
  return isAnnounced;
}

/**
 * RainbowKit's generic "Browser Wallet" (window.ethereum), offered only for wallets that do not
 * announce themselves: wagmi already lists an announcing wallet under its own name and icon, and the
 * same wallet twice in the connect modal reads as two wallets.
 */
export const browserWallet = (): Wallet => ({ ...injectedWallet(), hidden: isInjectedAnnounced });
