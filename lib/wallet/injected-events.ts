/** The slice of an injected EIP-1193 provider the app shell listens to, without loading wallet libraries. */
export interface InjectedEvents {
  on?(event: "accountsChanged", listener: (accounts: string[]) => void): void;
  removeListener?(event: "accountsChanged", listener: (accounts: string[]) => void): void;
}

export function injectedProvider(): InjectedEvents | null {
  if (typeof window === "undefined") return null;
  return (window as Window & { ethereum?: InjectedEvents }).ethereum ?? null;
}

/**
 * Calls `onSwitch` when the injected wallet's active account stops being `address`
 * (another account selected, or the wallet disconnected from the site). Returns the unsubscribe.
 */
export function watchAccountSwitch(address: string, onSwitch: () => void): () => void {
  const provider = injectedProvider();
  if (!provider?.on) return () => undefined;
  const listener = (accounts: string[]): void => {
    if (accounts[0]?.toLowerCase() !== address.toLowerCase()) onSwitch();
  };
  provider.on("accountsChanged", listener);
  return () => provider.removeListener?.("accountsChanged", listener);
}
