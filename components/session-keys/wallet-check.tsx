"use client";

import { useConnectModal } from "@rainbow-me/rainbowkit";
import type { ReactNode } from "react";
import { parseAbi } from "viem";
import { useAccount, useReadContract, useSwitchChain } from "wagmi";
import { Button } from "@/components/ui/button";
import type { VaultAccount } from "@/lib/deployment/vault-account";
import { shortHex } from "@/lib/format/hex";

const registryAbi = parseAbi(["function primaryManager(address vault) view returns (address)"]);

export interface VaultWalletTarget {
  chainId: number;
  chainName: string;
  registry: `0x${string}`;
  vault: `0x${string}`;
  /** From the manifest; the registry's live answer wins once read. */
  primaryManager: `0x${string}`;
  /** The deployment's SessionKeyExecutor (on-chain limits) and the vault's strategy. */
  executor: `0x${string}`;
  strategy: `0x${string}`;
  /** Wei, decimal: the most a grant or rotation may forward from the manager's wallet to the key. */
  maxStipendWei: string;
  /** The vault's hooks (budgets key by them), from the manifest; optional for pages that set no budgets. */
  hooks?: { hook: `0x${string}`; name: string }[];
  /**
   * The vault's account mode and key holder: prepared key transactions must call exactly that holder.
   * Absent = OMS mode, where the holder is `executor`.
   */
  account?: VaultAccount;
}

/** Read live: a manager change on-chain must show here before the wallet is asked to sign. */
export function usePrimaryManager(target: VaultWalletTarget): `0x${string}` {
  const { data } = useReadContract({
    address: target.registry,
    abi: registryAbi,
    functionName: "primaryManager",
    args: [target.vault],
    chainId: target.chainId,
  });
  return (data ?? target.primaryManager).toLowerCase() as `0x${string}`;
}

function Step({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div role="status" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
      <p className="font-medium">{title}</p>
      {children ? <div className="mt-2 flex flex-wrap items-center gap-2">{children}</div> : null}
    </div>
  );
}

/**
 * Connect → right chain → right account; renders `children` (the signing controls) only once the
 * connected wallet can actually send the vault's key transactions.
 */
export function WalletCheck({ target, children }: { target: VaultWalletTarget; children: ReactNode }) {
  const { address, chainId, isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const { switchChain, isPending: isSwitching, error: switchError } = useSwitchChain();
  const primary = usePrimaryManager(target);

  if (!isConnected || !address) {
    return (
      <Step title="Connect your wallet to sign">
        <Button variant="primary" onClick={() => openConnectModal?.()} disabled={!openConnectModal}>
          Connect wallet
        </Button>
      </Step>
    );
  }
  if (chainId !== target.chainId) {
    return (
      <Step title={`Your wallet is on the wrong network. Switch to ${target.chainName} (chain ${target.chainId}).`}>
        <Button variant="primary" onClick={() => switchChain({ chainId: target.chainId })} disabled={isSwitching}>
          {isSwitching ? "Switching…" : `Switch to ${target.chainName}`}
        </Button>
        {switchError ? (
          <span className="text-rose-700">Switching failed: {switchError.message.split("\n")[0]}</span>
        ) : null}
      </Step>
    );
  }
  if (address.toLowerCase() !== primary) {
    return (
      <Step title="The connected account is not the primary manager">
        <span>
          Connected: <code>{shortHex(address)}</code>. Only the primary manager <code>{shortHex(primary)}</code> can
          sign session-key changes. Switch accounts in your wallet.
        </span>
      </Step>
    );
  }
  return <>{children}</>;
}
