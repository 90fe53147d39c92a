"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ApprovalsNavLink } from "@/components/approvals/approvals-nav-link";
import type { Role } from "@/lib/defix/common";

export interface NavVault {
  vault_id: string;
  name: string;
  role: Role;
}

const ROLE_LABEL: Record<Role, string> = {
  PRIMARY_MANAGER: "Primary",
  SECONDARY_MANAGER: "Secondary",
  VIEW_ONLY: "View only",
};

function linkClass(isActive: boolean): string {
  return `flex items-center justify-between gap-2 rounded-md px-2.5 py-1.5 text-sm ${
    isActive ? "bg-zinc-900 text-zinc-50" : "text-zinc-700 hover:bg-zinc-200/60"
  }`;
}

/** Overview, Intents, Approvals (with its badge), Alerts, then one canvas link per vault the user holds a role on. */
export function Nav({ vaults, vaultsError }: { vaults: NavVault[]; vaultsError: string | null }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      <Link href="/" className={linkClass(pathname === "/")} aria-current={pathname === "/" ? "page" : undefined}>
        Overview
      </Link>
      <Link
        href="/intents"
        className={linkClass(pathname.startsWith("/intents"))}
        aria-current={pathname.startsWith("/intents") ? "page" : undefined}
      >
        Intents
      </Link>
      <ApprovalsNavLink
        className={linkClass(pathname.startsWith("/approvals"))}
        isActive={pathname.startsWith("/approvals")}
      />
      <Link
        href="/alerts"
        className={linkClass(pathname.startsWith("/alerts"))}
        aria-current={pathname.startsWith("/alerts") ? "page" : undefined}
      >
        Alerts
      </Link>
      <h2 className="mt-4 px-2.5 text-xs font-semibold tracking-wide text-zinc-600 uppercase">Vaults</h2>
      {vaultsError ? <p className="px-2.5 text-xs text-rose-700">{vaultsError}</p> : null}
      {!vaultsError && vaults.length === 0 ? (
        <p className="px-2.5 text-xs text-zinc-600">This address holds no role on any vault.</p>
      ) : null}
      <ul className="flex flex-col gap-1">
        {vaults.map((vault) => {
          const href = `/vaults/${encodeURIComponent(vault.vault_id)}/canvas`;
          const isActive = pathname.startsWith(`/vaults/${encodeURIComponent(vault.vault_id)}/`);
          return (
            <li key={vault.vault_id}>
              <Link
                href={href}
                className={linkClass(isActive)}
                aria-current={isActive ? "true" : undefined}
                title={vault.vault_id}
              >
                <span className="truncate">{vault.name}</span>
                <span className={`text-[10px] ${isActive ? "text-zinc-300" : "text-zinc-600"}`}>
                  {ROLE_LABEL[vault.role]}
                </span>
              </Link>
              {isActive ? <VaultSubNav vaultId={vault.vault_id} pathname={pathname} /> : null}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The open vault's pages: its canvas, its gas costs, its webhook settings and its approval policy. */
function VaultSubNav({ vaultId, pathname }: { vaultId: string; pathname: string }) {
  const base = `/vaults/${encodeURIComponent(vaultId)}`;
  const pages = [
    { href: `${base}/canvas`, label: "Canvas" },
    { href: `${base}/costs`, label: "Costs" },
    { href: `${base}/webhooks`, label: "Webhooks" },
    { href: `${base}/approval-policy`, label: "Approval policy" },
  ];
  return (
    <ul aria-label="Vault pages" className="mt-1 ml-3 flex flex-col gap-0.5 border-l border-zinc-300 pl-2">
      {pages.map((page) => {
        const isCurrent = pathname === page.href;
        return (
          <li key={page.href}>
            <Link
              href={page.href}
              aria-current={isCurrent ? "page" : undefined}
              className={`block rounded px-2 py-1 text-xs ${isCurrent ? "font-semibold text-zinc-900" : "text-zinc-700 hover:bg-zinc-200/60"}`}
            >
              {page.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
