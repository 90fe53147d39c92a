import Link from "next/link";
import type { ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { shortHex } from "@/lib/format/hex";
import { Nav, type NavVault } from "./nav";
import { SignOutButton } from "./sign-out-button";

interface AppShellProps {
  address: string;
  vaults: NavVault[];
  vaultsError: string | null;
  children: ReactNode;
}

/** Top bar (product, signed-in address, sign-out) + side navigation + the page. */
export function AppShell({ address, vaults, vaultsError, children }: AppShellProps) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex h-12 items-center justify-between border-b border-zinc-200 bg-white px-4">
        <Link href="/" className="text-sm font-semibold tracking-tight">
          DeFiX console
        </Link>
        <div className="flex items-center gap-2 text-sm">
          <span className="font-mono text-zinc-700" title={address} data-testid="signed-in-address">
            {shortHex(address)}
          </span>
          <CopyButton value={address} label="Copy address" />
          <SignOutButton />
        </div>
      </header>
      <div className="flex flex-1">
        <aside className="w-56 shrink-0 border-r border-zinc-200 bg-zinc-100/60 p-3">
          <Nav vaults={vaults} vaultsError={vaultsError} />
        </aside>
        <main className="min-w-0 flex-1 p-6">{children}</main>
      </div>
    </div>
  );
}
