"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type ReactNode, useState } from "react";
import { LoadError } from "@/components/ui/load-error";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import { TokenAmount } from "@/components/ui/token-amount";
import type { CostFigures, CostGroup } from "@/lib/defix/costs";
import { canvasHref } from "@/lib/format/routes";
import { vaultCostsOptions } from "@/lib/query/vault-costs";
import { CostChart } from "./cost-chart";

/** Native gas money: not a token of the deployment, so no address. */
const ETH = { address: "native", decimals: 18, symbol: "ETH" };
const RANGES = [7, 30, 90] as const;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function Eth({ wei }: { wei: string | null }) {
  return <TokenAmount raw={wei} token={ETH} pendingText="—" />;
}

function Figure({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-surface p-3">
      <dt className="text-[11px] uppercase tracking-wide text-zinc-600">{label}</dt>
      <dd className="mt-1 text-lg font-semibold">{children}</dd>
      {hint ? <dd className="text-xs text-zinc-600">{hint}</dd> : null}
    </div>
  );
}

function Totals({ totals }: { totals: CostFigures }) {
  const wastedShare =
    totals.total_wei === "0" ? 0 : Number((BigInt(totals.wasted_wei) * 1000n) / BigInt(totals.total_wei)) / 10;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Figure label="Spent on gas" hint={`${count(totals.transactions, "transaction", "transactions")} mined`}>
        <Eth wei={totals.total_wei} />
      </Figure>
      <Figure
        label="Wasted"
        hint={`${totals.reverted_transactions} reverted (${wastedShare}% of spend); ${count(totals.unmined_attempts, "replaced or dropped attempt", "replaced or dropped attempts")} cost nothing`}
      >
        <Eth wei={totals.wasted_wei} />
      </Figure>
      <Figure
        label="Gas per completed intent"
        hint={`${count(totals.completed_intents, "intent", "intents")} completed`}
      >
        {totals.wei_per_completed_intent === null ? (
          <span className="text-base font-normal text-zinc-600">none completed</span>
        ) : (
          <Eth wei={totals.wei_per_completed_intent} />
        )}
      </Figure>
      <Figure label="Gas used" hint="units, each transaction once">
        <span className="font-mono tabular-nums">{BigInt(totals.gas_used).toLocaleString("en-US")}</span>
      </Figure>
    </dl>
  );
}

function StrategyTable({ groups }: { groups: readonly CostGroup[] }) {
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Gas spent per strategy</caption>
      <thead className="text-left text-xs text-zinc-600">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">
            Strategy
          </th>
          <th scope="col" className="py-1 pr-3 text-right font-medium">
            Transactions
          </th>
          <th scope="col" className="py-1 pr-3 text-right font-medium">
            Successful
          </th>
          <th scope="col" className="py-1 pr-3 text-right font-medium">
            Wasted
          </th>
          <th scope="col" className="py-1 pr-3 text-right font-medium">
            Completed intents
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            Per completed intent
          </th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <tr key={group.key} className="border-t border-zinc-100" data-strategy={group.key}>
            <th scope="row" className="py-1.5 pr-3 text-left font-mono text-xs font-normal">
              {group.key === "-" ? "(no strategy id)" : group.key}
            </th>
            <td className="py-1.5 pr-3 text-right tabular-nums">
              {group.transactions}
              {group.reverted_transactions > 0 ? (
                <span className="text-red-700"> ({group.reverted_transactions} reverted)</span>
              ) : null}
            </td>
            <td className="py-1.5 pr-3 text-right">
              <Eth wei={group.successful_wei} />
            </td>
            <td className="py-1.5 pr-3 text-right">
              <Eth wei={group.wasted_wei} />
            </td>
            <td className="py-1.5 pr-3 text-right tabular-nums">{group.completed_intents}</td>
            <td className="py-1.5 text-right">
              <Eth wei={group.wei_per_completed_intent} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A vault's gas costs: totals, a daily stacked chart and a per-strategy table, over 7, 30 or 90 days. */
export function CostsView({ vaultId, name }: { vaultId: string; name: string }) {
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const daily = useQuery(vaultCostsOptions(vaultId, days, "day"));
  const byStrategy = useQuery(vaultCostsOptions(vaultId, days, "strategy"));
  const isStale = (daily.isRefetchError || byStrategy.isRefetchError) && daily.data !== undefined;

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Costs: {name}</h1>
          <p className="text-sm text-zinc-600">
            Gas paid by the vault's session keys, from transaction receipts. Each transaction counts once, even when it
            wrote several fills (a rebalance's two legs).{" "}
            <Link href={canvasHref(vaultId)} className="text-blue-700 underline">
              Open canvas
            </Link>
          </p>
        </div>
        <fieldset className="flex gap-1" aria-label="Range">
          {RANGES.map((range) => (
            <button
              key={range}
              type="button"
              aria-pressed={days === range}
              onClick={() => setDays(range)}
              className={`rounded-md border px-2.5 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 ${
                days === range ? "border-blue-600 bg-blue-600 text-white" : "border-zinc-300 hover:bg-zinc-50"
              }`}
            >
              {range} days
            </button>
          ))}
        </fieldset>
      </header>
      {isStale ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Could not refresh: these figures may be out of date.
        </p>
      ) : null}
      {daily.isError && daily.data === undefined ? (
        <LoadError error={daily.error} onRetry={() => void daily.refetch()} what="costs" />
      ) : daily.data === undefined ? (
        <SkeletonRows rows={4} label="Loading costs" />
      ) : daily.data.totals.transactions === 0 && daily.data.totals.unmined_attempts === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600">
          No transaction of this vault mined in the last {days} days.
        </p>
      ) : (
        <>
          <Totals totals={daily.data.totals} />
          <section aria-labelledby="costs-daily" className="rounded-lg border border-zinc-200 bg-surface p-4">
            <h2 id="costs-daily" className="mb-2 text-sm font-semibold">
              Per day (UTC) <span className="font-normal text-zinc-600">: successful (green) and wasted (red)</span>
            </h2>
            <CostChart
              days={daily.data.groups}
              label={`Gas spent per day over the last ${days} days, successful and wasted`}
            />
          </section>
          <section aria-labelledby="costs-strategy" className="rounded-lg border border-zinc-200 bg-surface p-4">
            <h2 id="costs-strategy" className="mb-2 text-sm font-semibold">
              Per strategy
            </h2>
            {byStrategy.data ? (
              <StrategyTable groups={byStrategy.data.groups} />
            ) : byStrategy.isError ? (
              <LoadError error={byStrategy.error} onRetry={() => void byStrategy.refetch()} what="per-strategy costs" />
            ) : (
              <SkeletonRows rows={2} label="Loading per-strategy costs" />
            )}
          </section>
        </>
      )}
    </div>
  );
}
