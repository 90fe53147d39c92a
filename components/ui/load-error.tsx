"use client";

import type { ErrorCode } from "@/lib/defix/errors";
import { STORE_UNAVAILABLE_HINT } from "@/lib/defix/store-hint";
import { isApiError } from "@/lib/query/api-error";
import { Button } from "./button";

/**
 * Why a view failed to load, in words a manager can act on: the OMS down (502/504), its database away
 * (503 STORE_UNAVAILABLE), or anything else with its code. `what` names the view ("intents", "your vaults").
 */
export function LoadError({ error, onRetry, what }: { error: unknown; onRetry: () => void; what: string }) {
  const isDown = isApiError(error) && error.isUpstreamDown;
  const code = isApiError(error) ? error.code : null;
  // A literal, type-checked against the codes: the codes' object would ship in every page for one string.
  const isStoreDown = code === ("STORE_UNAVAILABLE" satisfies ErrorCode);
  const storeHint = STORE_UNAVAILABLE_HINT;
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h2 className="font-semibold text-red-900">
        {isStoreDown ? storeHint.title : isDown ? "OMS unreachable" : `Could not load ${what}`}
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
