"use client";

import { useQuery } from "@tanstack/react-query";
import { readinessOptions } from "@/lib/query/session-keys";
import { budgetBar, LANE_HOOKS } from "./budget-bar-state";

/** The on-chain budgets that bound one lane's strategies (issue 20), read from readiness; nothing when none is set. */
export function BudgetBars({ vaultId, lane }: { vaultId: string; lane: keyof typeof LANE_HOOKS }) {
  const readiness = useQuery(readinessOptions(vaultId));
  const hooks: readonly string[] = LANE_HOOKS[lane];
  const budgets = (readiness.data?.limits?.budgets ?? []).filter((budget) => hooks.includes(budget.hook_name));
  if (budgets.length === 0) return null;
  return (
    <ul className="flex flex-col gap-2" aria-label="On-chain budgets">
      {budgets.map((budget) => {
        const bar = budgetBar(budget);
        return (
          <li key={budget.hook} className="rounded-md bg-surface p-2 text-xs" data-testid="budget-bar">
            <div className="flex justify-between gap-2">
              <span className="font-medium text-zinc-800">{bar.label}</span>
              <span className={bar.isExhausted ? "font-semibold text-rose-700" : "text-zinc-600"}>
                {bar.isExhausted ? "Used up" : `${Math.round(bar.percent)}%`}
              </span>
            </div>
            <div
              role="progressbar"
              aria-label={bar.label}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(bar.percent)}
              aria-valuetext={bar.usedText}
              className="mt-1 h-2 overflow-hidden rounded bg-zinc-200"
            >
              <div
                className={`h-full ${bar.isExhausted ? "bg-rose-500" : "bg-emerald-500"}`}
                style={{ width: `${bar.percent}%` }}
              />
            </div>
            <p className="mt-1 text-zinc-600">
              {bar.usedText}
              {bar.refillText ? ` · ${bar.refillText}` : ""}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
