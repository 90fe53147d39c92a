"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { useChainContext } from "@/components/chain/chain-context";
import { Button } from "@/components/ui/button";
import { canvasHref } from "@/lib/format/routes";
import { vaultName } from "@/lib/format/tokens";
import { readinessOptions } from "@/lib/query/session-keys";

/**
 * The empty history explains what will appear and what unblocks it: for each of the user's vaults
 * without a ready session key, a link to grant one on the canvas.
 */
export function EmptyState({
  hasFilters,
  vaultIds,
  onClear,
}: {
  hasFilters: boolean;
  vaultIds: readonly string[];
  onClear: () => void;
}) {
  const { context } = useChainContext();
  const readiness = useQueries({ queries: vaultIds.map((vaultId) => readinessOptions(vaultId)) });
  const notReady = vaultIds.filter((_, i) => readiness[i]?.data?.is_ready === false);
  if (hasFilters) {
    return (
      <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center">
        <h2 className="font-semibold">No intents match these filters</h2>
        <p className="mt-1 text-sm text-zinc-600">
          New matching intents appear here live. Widen the time range or clear the filters.
        </p>
        <Button className="mt-3" onClick={onClear}>
          Clear filters
        </Button>
        <NotReadyList vaultIds={notReady} name={(id) => vaultName(context, id)} />
      </div>
    );
  }
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center">
      <h2 className="font-semibold">No intents yet</h2>
      <p className="mx-auto mt-1 max-w-xl text-sm text-zinc-600">
        Every intent your vaults' strategies publish shows up here, newest first, and moves through RECEIVED → … →
        COMPLETED live. Strategies publish only while they are running and the vault has a valid session key.
      </p>
      <NotReadyList vaultIds={notReady} name={(id) => vaultName(context, id)} />
    </div>
  );
}

function NotReadyList({ vaultIds, name }: { vaultIds: readonly string[]; name: (id: string) => string }) {
  if (vaultIds.length === 0) return null;
  return (
    <ul className="mx-auto mt-4 max-w-md space-y-1 text-left text-sm">
      {vaultIds.map((id) => (
        <li key={id} className="rounded border border-amber-200 bg-amber-50 px-3 py-2">
          <strong>{name(id)}</strong>: no session key yet —{" "}
          <Link
            href={canvasHref(id)}
            className="text-blue-700 underline focus-visible:outline-2 focus-visible:outline-blue-600"
          >
            grant one on the canvas
          </Link>
        </li>
      ))}
    </ul>
  );
}
