"use client";

import { type FormEvent, useState } from "react";
import { parseUnits } from "viem";
import type { VaultWalletTarget } from "@/components/session-keys/wallet-check";
import { Button } from "@/components/ui/button";
import { LimitFlowStatus } from "./limit-review";
import { useLimitTransaction } from "./use-limit-transaction";

const PERIODS = [
  { label: "1 hour", seconds: 3_600 },
  { label: "24 hours", seconds: 86_400 },
  { label: "7 days", seconds: 604_800 },
] as const;

/** The primary manager sets a hook's on-chain budget: prepared calldata, decoded preview, then the wallet. */
export function BudgetForm({ vaultId, target }: { vaultId: string; target: VaultWalletTarget }) {
  const hooks = target.hooks ?? [];
  const flow = useLimitTransaction(vaultId, target);
  const [hook, setHook] = useState(hooks[0]?.hook ?? "");
  const [amount, setAmount] = useState("100000");
  const [executions, setExecutions] = useState("0");
  const [period, setPeriod] = useState<number>(86_400);
  const [rolling, setRolling] = useState(false);
  const [inputError, setInputError] = useState<string | null>(null);
  if (hooks.length === 0) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    let maxAmount: bigint;
    try {
      maxAmount = parseUnits(amount.trim() || "0", 6);
    } catch {
      return setInputError("Amount must be a number like 100000 or 2.5");
    }
    const maxExecutions = Number(executions);
    if (maxAmount < 0n || !Number.isInteger(maxExecutions) || maxExecutions < 0) {
      return setInputError("Amount and executions must be zero or positive");
    }
    setInputError(null);
    void flow.run({
      kind: "budget",
      budget: {
        hook: hook.toLowerCase() as `0x${string}`,
        max_amount: maxAmount.toString(),
        max_executions: maxExecutions,
        period_seconds: period,
        rolling,
      },
    });
  }

  const isBusy = ["preparing", "signing", "confirming"].includes(flow.phase.step);
  return (
    <section aria-label="Set budget" className="flex flex-col gap-2 rounded-lg border border-zinc-200 bg-surface p-3">
      <h2 className="text-sm font-semibold text-zinc-900">On-chain budget</h2>
      <form className="flex flex-wrap items-end gap-3 text-sm" onSubmit={submit}>
        <label className="flex flex-col gap-1">
          Action
          <select value={hook} onChange={(event) => setHook(event.target.value)} className="rounded border px-2 py-1">
            {hooks.map((candidate) => (
              <option key={candidate.hook} value={candidate.hook}>
                {candidate.name.replace("4626Hook", "")}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          Max amount (0 = no limit)
          <input
            value={amount}
            onChange={(event) => setAmount(event.target.value)}
            className="w-32 rounded border px-2 py-1"
          />
        </label>
        <label className="flex flex-col gap-1">
          Max executions (0 = no limit)
          <input
            value={executions}
            onChange={(event) => setExecutions(event.target.value)}
            className="w-24 rounded border px-2 py-1"
          />
        </label>
        <label className="flex flex-col gap-1">
          Per
          <select
            value={period}
            onChange={(event) => setPeriod(Number(event.target.value))}
            className="rounded border px-2 py-1"
          >
            {PERIODS.map((option) => (
              <option key={option.seconds} value={option.seconds}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={rolling} onChange={(event) => setRolling(event.target.checked)} />
          Rolling window
        </label>
        <Button size="sm" type="submit" disabled={isBusy}>
          Review budget
        </Button>
      </form>
      {inputError ? (
        <p role="alert" className="text-sm text-rose-800">
          {inputError}
        </p>
      ) : null}
      <LimitFlowStatus phase={flow.phase} onConfirm={() => void flow.confirm()} onCancel={flow.reset} />
    </section>
  );
}
