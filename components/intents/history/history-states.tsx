"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { errorHint } from "@/lib/defix/error-hints";
import { ErrorCode } from "@/lib/defix/errors";
import { vaultName } from "@/lib/format/tokens";
import { isApiError } from "@/lib/query/fetcher";
import { readinessOptions } from "@/lib/query/session-keys";
import { useChainContext } from "../chain-context";

export const canvasHref = (vaultId: string) => `/vaults/${encodeURIComponent(vaultId)}/canvas`;

/** Why the list failed, in words a manager can act on; 502 means the OMS itself is down. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const isDown = isApiError(error) && error.isUpstreamDown;
  const code = isApiError(error) ? error.code : null;
  const isStoreDown = code === ErrorCode.STORE_UNAVAILABLE;
  const storeHint = errorHint(ErrorCode.STORE_UNAVAILABLE);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h2 className="font-semibold text-red-900">
        {isStoreDown ? storeHint.title : isDown ? "OMS unreachable" : "Could not load intents"}
      </h2>
      <p className="mt-1 text-sm text-red-800">
        {isStoreDown
          ? storeHint.hint
          : isDown
            ? "The dashboard cannot reach the OMS service right now. Intents keep their state there; this view fills in again as soon as it answers."
            : "Something went wrong while loading this view."}
        {code && !isDown ? <span className="ml-1 font-mono text-xs">({code})</span> : null}
      </p>
      <Button className="mt-3" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}

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
