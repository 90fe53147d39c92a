"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { AlertBell } from "@/components/alerts/alert-bell";
import { CopyButton } from "@/components/ui/copy-button";
import { ShortHex } from "@/components/ui/short-hex";
import { AnnouncerProvider } from "./announcer";
import { Nav, type NavVault } from "./nav";
import { Shortcuts } from "./shortcuts";
import { SignOutButton } from "./sign-out-button";
import type { Theme } from "./theme";
import { ThemeToggle } from "./theme-toggle";
import { VaultNamesProvider } from "./vault-names";

interface AppShellProps {
  address: string;
  vaults: NavVault[];
  vaultsError: string | null;
  theme: Theme;
  children: ReactNode;
}

/**
 * Top bar (product, signed-in address, theme, sign-out) + side navigation + the page. Below `lg` the
 * navigation folds behind a Menu button so the page keeps the width; it folds again after navigating.
 */
export function AppShell({ address, vaults, vaultsError, theme, children }: AppShellProps) {
  const [isNavOpen, setIsNavOpen] = useState(false);
  const pathname = usePathname();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing on navigation is the point
  useEffect(() => setIsNavOpen(false), [pathname]);

  return (
    <AnnouncerProvider>
      <VaultNamesProvider vaults={vaults}>
        <a
          href="#main"
          className="sr-only rounded bg-surface px-3 py-2 text-sm font-medium focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
        >
          Skip to content
        </a>
        <div className="flex min-h-screen flex-col">
          <header className="flex h-12 items-center justify-between gap-2 border-b border-zinc-200 bg-surface px-4">
            <div className="flex items-center gap-2">
              <button
                type="button"
                aria-expanded={isNavOpen}
                aria-controls="sidebar"
                onClick={() => setIsNavOpen((open) => !open)}
                className="rounded px-2 py-1 text-sm text-zinc-700 hover:bg-zinc-100 lg:hidden"
              >
                <span aria-hidden="true">☰ </span>Menu
              </button>
              <Link href="/" className="text-sm font-semibold tracking-tight">
                DeFiX console
              </Link>
            </div>
            <div className="flex items-center gap-2 text-sm">
              <AlertBell />
              <span className="text-zinc-700" data-testid="signed-in-address" title={address}>
                <span className="sr-only">Signed in as </span>
                <ShortHex value={address} />
              </span>
              <CopyButton value={address} label="Copy address" />
              <ThemeToggle initial={theme} />
              <SignOutButton />
            </div>
          </header>
          <div className="flex flex-1">
            <aside
              id="sidebar"
              className={`${isNavOpen ? "block" : "hidden"} w-52 shrink-0 border-r border-zinc-200 bg-zinc-100 p-3 lg:block`}
            >
              <Nav vaults={vaults} vaultsError={vaultsError} />
            </aside>
            <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-4 focus:outline-none xl:p-6">
              {children}
            </main>
          </div>
        </div>
        <Shortcuts />
      </VaultNamesProvider>
    </AnnouncerProvider>
  );
}
