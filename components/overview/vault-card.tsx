"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { useChainContext } from "@/components/chain/chain-context";
import { Skeleton } from "@/components/ui/skeleton";
import type { Role } from "@/lib/defix/common";
import { formatDuration } from "@/lib/format/duration";
import { canvasHref, costsHref } from "@/lib/format/routes";
import { vaultName } from "@/lib/format/tokens";
import { IN_FLIGHT_STATES } from "@/lib/query/intents";
import { readinessOptions } from "@/lib/query/session-keys";
import { vaultStatsOptions } from "@/lib/query/vault-stats";
import { OutcomeChart } from "./outcome-chart";
import { ReadinessBadge } from "./readiness-badge";
import { vaultStats } from "./stats";

const ROLE_LABEL: Record<Role, string> = {
  PRIMARY_MANAGER: "Primary manager",
  SECONDARY_MANAGER: "Secondary manager",
  VIEW_ONLY: "View only",
};

function Metric({ label, href, children }: { label: string; href: string; children: ReactNode }) {
  return (
    <Link
      href={href}
      className="block rounded-md px-2 py-1 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-blue-600"
    >
      <div className="text-[11px] uppercase tracking-wide text-zinc-600">{label}</div>
      <div className="text-lg font-semibold tabular-nums">{children}</div>
    </Link>
  );
}

/** One vault's health: key readiness, work in flight, last-day outcomes; each number opens the matching history. */
export function VaultCard({ vaultId, role }: { vaultId: string; role: Role }) {
  const { context } = useChainContext();
  const readiness = useQuery(readinessOptions(vaultId));
  const stats = useQuery(vaultStatsOptions(vaultId));
  const name = vaultName(context, vaultId);
  const history = (query: string) => `/intents?vault_id=${encodeURIComponent(vaultId)}${query}`;
  const computed = stats.data
    ? vaultStats(stats.data.allStates, stats.data.lastDay.facets.state, stats.data.lastDay.data, stats.data.now)
    : null;

  return (
    <article
      aria-labelledby={`vault-${vaultId}`}
      data-vault-id={vaultId}
      className="space-y-3 rounded-lg border border-zinc-200 bg-surface p-4"
    >
      <header className="grid grid-cols-[minmax(0,1fr)_auto] items-start gap-2">
        <div>
          <h2 id={`vault-${vaultId}`} className="font-semibold">
            <Link href={history("")} className="hover:underline focus-visible:outline-2 focus-visible:outline-blue-600">
              {name}
            </Link>
          </h2>
          <p className="truncate font-mono text-[11px] text-zinc-600" title={vaultId}>
            {vaultId}
          </p>
          <p className="text-xs text-zinc-600">{ROLE_LABEL[role]}</p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <ReadinessBadge readiness={readiness.data} isLoading={readiness.isPending} />
          <Link
            href={canvasHref(vaultId)}
            className="text-xs text-blue-700 underline focus-visible:outline-2 focus-visible:outline-blue-600"
          >
            Open canvas
          </Link>
          <Link
            href={costsHref(vaultId)}
            className="text-xs text-blue-700 underline focus-visible:outline-2 focus-visible:outline-blue-600"
          >
            Costs
          </Link>
        </div>
      </header>
      {stats.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Intent numbers unavailable right now.
        </p>
      ) : !computed ? (
        <Skeleton className="h-16 w-full" />
      ) : (
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="grid grid-cols-4 gap-1">
            <Metric label="In flight" href={history(`&state=${IN_FLIGHT_STATES.join(",")}`)}>
              {computed.inFlight}
            </Metric>
            <Metric label="Failed 24 h" href={history("&state=FAILED,ABORTED,EXPIRED&range=24h")}>
              <span className={computed.failures24h > 0 ? "text-red-700" : ""}>{computed.failures24h}</span>
            </Metric>
            <Metric label="Success 24 h" href={history("&range=24h")}>
              {computed.successRate === null ? "—" : `${Math.round(computed.successRate * 100)}%`}
            </Metric>
            <Metric label="Median time" href={history("&state=COMPLETED&range=24h")}>
              {computed.medianCompleteMs === null ? "—" : formatDuration(computed.medianCompleteMs)}
            </Metric>
          </div>
          <OutcomeChart
            hours={computed.hours}
            label={`${name}: ${computed.completed24h} completed and ${computed.failures24h} failed in the last 24 hours, per hour`}
          />
        </div>
      )}
    </article>
  );
}
