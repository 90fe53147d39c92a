"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useChainContext } from "@/components/chain/chain-context";
import { LiveIndicator } from "@/components/intents/history/live-indicator";
import { LoadError } from "@/components/ui/load-error";
import { ShortHex } from "@/components/ui/short-hex";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import { TokenAmount } from "@/components/ui/token-amount";
import { useIsHydrated } from "@/components/ui/use-hydrated";
import { useNow } from "@/components/ui/use-now";
import { formatDuration } from "@/lib/format/duration";
import { lookupToken, vaultName } from "@/lib/format/tokens";
import { approvalsQueueOptions } from "@/lib/query/approvals-queue";
import { meOptions } from "@/lib/query/vaults";
import { DecisionControl } from "./decision-control";
import { APPROVALS_FALLBACK_POLL_MS } from "./live/approvals-stream";
import { useApprovalsLive } from "./live/use-approvals-live";
import { approvalQueue, type QueueRow } from "./model/queue";
import { MembersList } from "./ui/members-list";

function targetOf(row: QueueRow): string {
  const config = row.intent.action_config;
  const to = config.execution_params.to_yield_source;
  return typeof to === "string" ? to : config.target_address;
}

function ApprovalRow({ row, me }: { row: QueueRow; me: string | null }) {
  const { context, tokens } = useChainContext();
  const asset = lookupToken(tokens, context.asset.address);
  const { intent, authorization } = row;
  const target = targetOf(row);
  const targetToken = lookupToken(tokens, target);
  return (
    <li
      className="space-y-2 rounded-lg border border-zinc-200 bg-surface p-4"
      data-testid="approval-row"
      data-intent-id={intent.id}
      data-awaiting-me={row.isAwaitingMe}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-medium">
          {intent.action} on {vaultName(context, intent.vault_id)} ·{" "}
          <TokenAmount raw={authorization.size} token={asset} /> →{" "}
          {targetToken ? targetToken.symbol : <ShortHex value={target} />}
        </p>
        <Link href={`/intents/${encodeURIComponent(intent.id)}`} className="font-mono text-xs text-blue-700 underline">
          {intent.id.slice(0, 8)}
        </Link>
      </div>
      <p className="text-sm text-zinc-700">
        {authorization.display_name} (v{authorization.policy_version}) · caught by {authorization.caught_by.join("; ")}
      </p>
      <p className="text-sm" data-testid="approval-progress">
        {row.signed} of {authorization.threshold} signed · {row.missing} more needed ·{" "}
        <span>{row.timeLeftMs > 0 ? `${formatDuration(row.timeLeftMs)} left` : "deadline passed"}</span>
      </p>
      <MembersList authorization={authorization} me={me} />
      {row.isAwaitingMe && me ? (
        <DecisionControl intent={intent} authorization={authorization} member={me} />
      ) : row.hasMySignature ? (
        <p className="text-xs text-zinc-600">You signed; waiting for the others.</p>
      ) : null}
    </li>
  );
}

/** `/approvals`: what waits for the signed-in member first, then every pending intent of their vaults. */
export function ApprovalsView() {
  const live = useApprovalsLive();
  const queue = useQuery(approvalsQueueOptions());
  const me = useQuery(meOptions());
  const now = useNow();
  // The nav badge asks for the same queue as soon as the (light) shell hydrates; this page's boundary carries
  // wallet code and hydrates later, so the answer can be in the cache before it: render what the server did first.
  const isHydrated = useIsHydrated();
  if (!isHydrated || queue.isPending || me.isPending) return <SkeletonRows rows={4} label="Loading approvals" />;
  if (queue.isError)
    return <LoadError what="the approvals queue" error={queue.error} onRetry={() => void queue.refetch()} />;
  const address = me.data?.address.toLowerCase() ?? null;
  const rows = approvalQueue(queue.data, address, now ?? Date.now());
  const mine = rows.filter((row) => row.isAwaitingMe);
  const others = rows.filter((row) => !row.isAwaitingMe);
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between gap-2">
        <h1 className="text-lg font-semibold">Approvals</h1>
        <LiveIndicator status={live} pollSeconds={APPROVALS_FALLBACK_POLL_MS / 1000} />
      </div>
      <section aria-labelledby="mine-title" className="space-y-2">
        <h2 id="mine-title" className="font-semibold">
          Waiting for you ({mine.length})
        </h2>
        {mine.length === 0 ? <p className="text-sm text-zinc-600">Nothing waits for your signature.</p> : null}
        <ul className="space-y-2">
          {mine.map((row) => (
            <ApprovalRow key={row.intent.id} row={row} me={address} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="others-title" className="space-y-2">
        <h2 id="others-title" className="font-semibold">
          Other pending intents of your vaults ({others.length})
        </h2>
        <ul className="space-y-2">
          {others.map((row) => (
            <ApprovalRow key={row.intent.id} row={row} me={address} />
          ))}
        </ul>
      </section>
    </div>
  );
}
