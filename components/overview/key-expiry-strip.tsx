"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { useChainContext } from "@/components/chain/chain-context";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Role } from "@/lib/defix/common";
import { vaultName } from "@/lib/format/tokens";
import { readinessOptions } from "@/lib/query/session-keys";

const DAY_MS = 86_400_000;

/**
 * Every vault's session-key expiry across the user's vaults, soonest first: a key expiring within a day
 * is amber (within an hour or gone, red), with a one-click "Renew" into the canvas's rotation flow for
 * the primary manager. Vaults without a key say so; a vault whose readiness failed says that.
 */
export function KeyExpiryStrip({ vaults }: { vaults: readonly { vault_id: string; role: Role }[] }) {
  const { context } = useChainContext();
  const results = useQueries({ queries: vaults.map((vault) => readinessOptions(vault.vault_id)) });
  const rows = vaults
    .map((vault, i) => ({ vault, readiness: results[i] }))
    .map(({ vault, readiness }) => ({
      vault,
      isPending: readiness?.isPending ?? true,
      isError: readiness?.isError ?? false,
      expiresAt: readiness?.data?.expires_at ?? null,
    }))
    .sort((a, b) => sortKey(a.expiresAt) - sortKey(b.expiresAt));
  const now = Date.now();
  return (
    <section aria-labelledby="key-expiry-title" className="rounded-lg border border-zinc-200 bg-surface p-3">
      <h2 id="key-expiry-title" className="mb-2 text-sm font-semibold">
        Session-key expiry, soonest first
      </h2>
      <ul className="flex flex-wrap gap-2" data-testid="key-expiry-strip">
        {rows.map(({ vault, isPending, isError, expiresAt }) => {
          const left = expiresAt ? Date.parse(expiresAt) - now : null;
          const tone =
            left === null
              ? "ring-zinc-200"
              : left <= DAY_MS / 24
                ? "ring-rose-300 bg-rose-50"
                : left <= DAY_MS
                  ? "ring-amber-300 bg-amber-50"
                  : "ring-zinc-200";
          const canRenew = vault.role === "PRIMARY_MANAGER" && left !== null && left <= DAY_MS;
          return (
            <li
              key={vault.vault_id}
              data-testid="key-expiry-item"
              data-vault={vault.vault_id}
              className={`flex items-center gap-2 rounded-md px-2.5 py-1.5 text-sm ring-1 ${tone}`}
            >
              <span className="font-medium">{vaultName(context, vault.vault_id)}</span>
              <span className="text-zinc-700">
                {isPending ? (
                  "checking…"
                ) : isError ? (
                  "readiness unavailable"
                ) : expiresAt ? (
                  <>
                    {left !== null && left <= 0 ? "expired " : "expires "}
                    <RelativeTime iso={expiresAt} />
                  </>
                ) : (
                  "no active key"
                )}
              </span>
              {canRenew ? (
                <Link
                  href={`/vaults/${encodeURIComponent(vault.vault_id)}/canvas?renew=1`}
                  className={buttonClass("primary", "sm")}
                >
                  Renew
                </Link>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Soonest expiry first; vaults without a known expiry last. */
function sortKey(expiresAt: string | null): number {
  return expiresAt ? Date.parse(expiresAt) : Number.MAX_SAFE_INTEGER;
}
