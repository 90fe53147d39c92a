"use client";

import { type KeyboardEvent, memo } from "react";
import { ApprovalBadge } from "@/components/approvals/ui/approval-badge";
import { useChainContext } from "@/components/chain/chain-context";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import { TokenAmount } from "@/components/ui/token-amount";
import { useNow } from "@/components/ui/use-now";
import type { Intent } from "@/lib/defix/intents";
import { formatDuration } from "@/lib/format/duration";
import { shortId } from "@/lib/format/hex";
import { intentHref } from "@/lib/format/routes";
import { vaultName } from "@/lib/format/tokens";
import { strategyLabel } from "../strategy-names";
import { StateBadge } from "../ui/state-badge";

export const ROW_HEIGHT = 52;
// Sized to fit a 1280 px screen beside the navigation without horizontal scrolling (e2e/comfort.spec.ts).
export const GRID_COLUMNS =
  "grid grid-cols-[6.5rem_4.5rem_5.5rem_minmax(6rem,1.2fr)_minmax(4.5rem,1fr)_minmax(6.5rem,1fr)_5rem_5rem_7.5rem_minmax(5rem,1fr)] items-center gap-x-2 px-3";

/** In flight: how long it has sat in its current state (live). Terminal: how long the whole run took. */
function TimeInState({ intent }: { intent: Intent }) {
  const now = useNow();
  if (intent.completed_at) {
    const took = Date.parse(intent.completed_at) - Date.parse(intent.created_at);
    return (
      <span className="tabular-nums text-zinc-600" title="total time from received to final state">
        took {formatDuration(took)}
      </span>
    );
  }
  if (now === null)
    return (
      <span className="text-zinc-600">
        <span aria-hidden="true">—</span>
        <span className="sr-only">none</span>
      </span>
    );
  return (
    <span className="tabular-nums font-medium text-blue-800" title="time in current state">
      {formatDuration(now - Date.parse(intent.state_entered_at))}
    </span>
  );
}

/**
 * One history row: every cell readable without opening the intent; the id link opens it. Memoized: while
 * the table scrolls, or a live row arrives above, rows already in the window keep their props and are not rendered
 * again (their place is the parent's `tr`).
 */
export const IntentRow = memo(function IntentRow({
  intent,
  strategyName,
  onKeyDown,
}: {
  intent: Intent;
  /** The runner's name for the strategy, when known. */
  strategyName?: string;
  /** By intent id, not row index: a live row arriving on top shifts every index, and would render every row. */
  onKeyDown: (event: KeyboardEvent<HTMLAnchorElement>, intentId: string) => void;
}) {
  const { context, tokens } = useChainContext();
  const sizeToken = tokens.get(context.asset.address.toLowerCase()) ?? null;
  return (
    <>
      <td>
        <span className="inline-flex flex-wrap items-center gap-1">
          <StateBadge state={intent.state} />
          {intent.approval_status === "not_required" ? null : <ApprovalBadge status={intent.approval_status} />}
        </span>
      </td>
      <td className="font-mono text-xs">
        {/* A plain link: the table navigates for it (client-side, `IntentTable`), so a row scrolling into view mounts no
            router link of its own; a modified or middle click opens a tab as any link does. */}
        <a
          href={intentHref(intent.id)}
          data-row-link={intent.id}
          onKeyDown={(event) => onKeyDown(event, intent.id)}
          title={intent.id}
          aria-label={`Intent ${intent.id}, ${intent.state}`}
          className="rounded text-blue-700 hover:underline focus-visible:outline-2 focus-visible:outline-blue-600"
        >
          {shortId(intent.id)}
        </a>
      </td>
      <td className="text-xs font-medium">{intent.action}</td>
      <td className="truncate text-sm" title={intent.vault_id}>
        {vaultName(context, intent.vault_id)}
      </td>
      <td className="truncate text-xs text-zinc-600" title={intent.strategy_id ?? undefined}>
        {strategyName ?? strategyLabel(intent)}
      </td>
      {/* Large amounts must not spill into the next column: clip, the full value is on hover/click. */}
      <td className="min-w-0 truncate whitespace-nowrap text-xs">
        {intent.size === null ? (
          <span className="text-xs text-zinc-600" title={`size_expr: ${intent.action_config.size_expr}`}>
            not sized yet
          </span>
        ) : (
          <TokenAmount raw={intent.size} token={sizeToken} />
        )}
      </td>
      <td className="text-xs">
        <RelativeTime iso={intent.created_at} />
      </td>
      <td className="text-xs">
        <TimeInState intent={intent} />
      </td>
      <td className="flex items-center font-mono text-xs">
        {intent.tx_hash ? (
          <>
            <ShortHex value={intent.tx_hash} />
            <CopyButton value={intent.tx_hash} label="Copy transaction hash" />
          </>
        ) : (
          <span className="text-zinc-600">
            <span aria-hidden="true">—</span>
            <span className="sr-only">none</span>
          </span>
        )}
      </td>
      <td className="truncate font-mono text-xs text-red-700" title={intent.error?.message}>
        {intent.error?.code ?? ""}
      </td>
    </>
  );
});
