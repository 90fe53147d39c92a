"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { lazy, Suspense } from "react";
import { useAnnounceChange } from "@/components/layout/use-announce-change";
import { CopyButton } from "@/components/ui/copy-button";
import { LoadError } from "@/components/ui/load-error";
import { ShortHex } from "@/components/ui/short-hex";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import { useNow } from "@/components/ui/use-now";
import { isTerminalState } from "@/lib/defix/states";
import { isApiError } from "@/lib/query/fetcher";
import {
  intentAttemptsOptions,
  intentDetailOptions,
  intentEventsOptions,
  intentFillsOptions,
} from "@/lib/query/intent-detail";
import { readinessOptions } from "@/lib/query/session-keys";
import { chainHeadOptions, isManagerRole, meOptions } from "@/lib/query/vaults";
import { deriveLifecycle } from "../model/lifecycle";
import { deriveWaiting } from "../model/waiting";
import { StateBadge } from "../ui/state-badge";
import { IntentSummary } from "./intent-summary";
import { LifecycleStrip } from "./lifecycle-strip";
import { useIntentLive } from "./use-intent-live";
import { WaitingLine } from "./waiting-line";

// Loaded after the page: the manager-only controls (cancel, refine) and the proof, which waits for the events.
const CancelControl = lazy(() => import("./cancel-control").then((module) => ({ default: module.CancelControl })));
const RefinePanel = lazy(() => import("./refine-panel").then((module) => ({ default: module.RefinePanel })));
// Sections that wait for their own data (or show only for some intents) load beside it, behind the same skeletons.
const ErrorPanel = lazy(() => import("./error-panel").then((module) => ({ default: module.ErrorPanel })));
const AuthorizationPanel = lazy(() =>
  import("./authorization-panel").then((module) => ({ default: module.AuthorizationPanel })),
);
const FillsTable = lazy(() => import("./fills-table").then((module) => ({ default: module.FillsTable })));
const AttemptsList = lazy(() => import("./attempts-list").then((module) => ({ default: module.AttemptsList })));
const EventTimeline = lazy(() => import("./event-timeline").then((module) => ({ default: module.EventTimeline })));
const ChainPanel = lazy(() => import("./chain-panel").then((module) => ({ default: module.ChainPanel })));

/** `/intents/[id]`: lifecycle, why-waiting, error, fills, attempts and the live event timeline. */
export function IntentDetail({ id }: { id: string }) {
  const intent = useQuery(intentDetailOptions(id));
  const events = useQuery(intentEventsOptions(id));
  const isTerminal = intent.data ? isTerminalState(intent.data.state) : null;
  // Attempts and fills exist only once a transaction was signed: a fresh intent's page asks for neither (two
  // requests fewer while it loads) until its state or its live events say one was.
  const hasTransactions =
    intent.data !== undefined &&
    (intent.data.state === "EXECUTING" ||
      isTerminal === true ||
      (events.data ?? []).some((event) => event.message_type === "TX_SIGNED"));
  const fills = useQuery({ ...intentFillsOptions(id), enabled: hasTransactions });
  const attempts = useQuery({ ...intentAttemptsOptions(id), enabled: hasTransactions });
  const me = useQuery(meOptions());
  const vaultId = intent.data?.vault_id ?? "";
  const readiness = useQuery({ ...readinessOptions(vaultId), enabled: isTerminal === false });
  // Only while a transaction is out: the waiting line counts blocks since its broadcast.
  const head = useQuery({ ...chainHeadOptions(), enabled: intent.data?.state === "EXECUTING" });
  const live = useIntentLive(id, isTerminal, events.isSuccess);
  const now = useNow();
  useAnnounceChange(intent.data?.state ?? null, (previous, current) =>
    previous !== null && current !== null && isTerminalState(current)
      ? `Intent ${id.slice(0, 8)} is now ${current}.`
      : null,
  );

  if (intent.isPending) return <SkeletonRows rows={6} label="Loading intent" />;
  if (intent.isError) {
    if (isApiError(intent.error) && (intent.error.status === 404 || intent.error.status === 403)) {
      return (
        <div role="alert" className="rounded-lg border border-zinc-200 p-6">
          <h1 className="font-semibold">Intent not found</h1>
          <p className="mt-1 text-sm text-zinc-600">It does not exist, or it belongs to a vault you hold no role on.</p>
          <Link href="/intents" className="mt-2 inline-block text-sm text-blue-700 underline">
            Back to the history
          </Link>
        </div>
      );
    }
    return <LoadError what="this intent" error={intent.error} onRetry={() => void intent.refetch()} />;
  }

  const data = intent.data;
  const eventList = events.data ?? [];
  const role = me.data?.vaults.find((vault) => vault.vault_id === data.vault_id)?.role;
  const waiting =
    now === null ? null : deriveWaiting(data, eventList, readiness.data ?? null, now, head.data?.block_number ?? null);
  const steps = deriveLifecycle(data, eventList, now ?? Date.parse(data.updated_at));

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-600">
        <Link href="/intents" className="underline-offset-2 hover:underline">
          Intents
        </Link>{" "}
        / <ShortHex value={id} short={id.slice(0, 8)} />
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="flex items-center gap-2 text-lg font-semibold">
            {data.action} intent <StateBadge state={data.state} isPulsing />
          </h1>
          <p className="flex items-center font-mono text-xs text-zinc-600">
            {data.id}
            <CopyButton value={data.id} label="Copy intent id" />
          </p>
        </div>
        <div className="flex items-center gap-3">
          <span role="status" className="text-xs text-zinc-600" data-testid="detail-live" data-status={live}>
            {live === "live"
              ? "● Live"
              : live === "done"
                ? "Final"
                : live === "reconnecting"
                  ? "Stale — reconnecting"
                  : "Connecting…"}
          </span>
          {!isTerminalState(data.state) && isManagerRole(role) ? (
            <Suspense fallback={null}>
              <CancelControl intent={data} />
            </Suspense>
          ) : null}
        </div>
      </header>
      <LifecycleStrip steps={steps} />
      {waiting ? <WaitingLine waiting={waiting} vaultId={data.vault_id} /> : null}
      {data.error ? (
        <Suspense fallback={null}>
          <ErrorPanel error={data.error} vaultId={data.vault_id} />
        </Suspense>
      ) : null}
      <IntentSummary intent={data} />
      {data.authorization ? (
        <Suspense fallback={null}>
          <AuthorizationPanel intent={data} me={me.data?.address ?? null} />
        </Suspense>
      ) : null}
      {!isTerminalState(data.state) && isManagerRole(role) ? (
        <Suspense fallback={null}>
          <RefinePanel intent={data} events={eventList} />
        </Suspense>
      ) : null}
      <section aria-labelledby="fills-title" className="space-y-2">
        <h2 id="fills-title" className="font-semibold">
          Fills
        </h2>
        <Suspense fallback={<SkeletonRows rows={2} label="Loading fills" />}>
          {hasTransactions && fills.isPending ? (
            <SkeletonRows rows={2} label="Loading fills" />
          ) : (
            <FillsTable fills={hasTransactions ? (fills.data ?? []) : []} />
          )}
        </Suspense>
      </section>
      <section aria-labelledby="attempts-title" className="space-y-2">
        <h2 id="attempts-title" className="font-semibold">
          Transaction attempts
        </h2>
        <Suspense fallback={<SkeletonRows rows={2} label="Loading attempts" />}>
          {hasTransactions && attempts.isPending ? (
            <SkeletonRows rows={2} label="Loading attempts" />
          ) : (
            <AttemptsList attempts={hasTransactions ? (attempts.data ?? []) : []} />
          )}
        </Suspense>
      </section>
      {events.isPending ? (
        <SkeletonRows rows={5} label="Loading events" />
      ) : events.isError ? (
        <LoadError what="the event log" error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <Suspense fallback={<SkeletonRows rows={5} label="Loading events" />}>
          <EventTimeline events={eventList} isLive={live === "live"} />
        </Suspense>
      )}
      {events.isSuccess ? (
        <Suspense fallback={<SkeletonRows rows={2} label="Loading the audit proof" />}>
          <ChainPanel intentId={data.id} headSeq={eventList.at(-1)?.seq_num ?? 0} />
        </Suspense>
      ) : null}
    </div>
  );
}
