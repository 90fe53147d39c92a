"use client";

import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Strategy } from "@/lib/defix/strategies";
import type { VaultAccount } from "@/lib/deployment/vault-account";
import { formatDuration } from "@/lib/format/duration";
import { shortId } from "@/lib/format/hex";
import { intentHref } from "@/lib/format/routes";
import { AccountModeBadge, KeyHolderText } from "./account-mode";
import { StrategyPreviewControl } from "./strategy-preview";

const INTENT_TONE: Record<string, Tone> = {
  COMPLETED: "success",
  FAILED: "danger",
  ABORTED: "danger",
  EXPIRED: "warning",
  CANCELED: "neutral",
};

interface StrategyCardProps {
  strategy: Strategy;
  /** This strategy's intents waiting for their quorum (issue 15). */
  waitingApproval: number;
  /** The runner's bound: it keeps publishing while fewer than this many wait. */
  maxWaitingApproval: number;
  /** The vault's account mode and key holder; absent = OMS mode. */
  account?: VaultAccount;
  canManage: boolean;
  isSaving: boolean;
  onToggle: (strategy: Strategy) => void;
}

/** One strategy: state, cadence, the last intent it published (linked) and, for managers, the RUNNING switch. */
export function StrategyCard({
  strategy,
  waitingApproval,
  maxWaitingApproval,
  account,
  canManage,
  isSaving,
  onToggle,
}: StrategyCardProps) {
  const isRunning = strategy.state === "RUNNING";
  return (
    <article
      aria-label={strategy.name}
      data-testid="strategy-card"
      className="flex flex-col gap-2 rounded-lg border border-zinc-200 bg-surface p-3 shadow-sm"
    >
      <header className="flex items-start justify-between gap-2">
        <div>
          <h3 className="text-sm font-semibold text-zinc-900">{strategy.name}</h3>
          <p className="text-xs text-zinc-600">
            {strategy.action} · every {formatDuration(strategy.tick_interval_ms)}
          </p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <Badge tone={isRunning ? "success" : "neutral"}>{strategy.state}</Badge>
          <AccountModeBadge mode={account?.mode ?? "OMS"} />
        </div>
      </header>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
        <dt className="text-zinc-600">Last intent</dt>
        <dd>
          {strategy.last_intent_id ? (
            <Link
              href={intentHref(strategy.last_intent_id)}
              className="inline-flex items-center gap-1.5 text-indigo-700 hover:underline"
            >
              <span className="font-mono">{shortId(strategy.last_intent_id)}</span>
              {strategy.last_intent_state ? (
                <Badge tone={INTENT_TONE[strategy.last_intent_state] ?? "info"}>{strategy.last_intent_state}</Badge>
              ) : null}
            </Link>
          ) : (
            <span className="text-zinc-600">none yet</span>
          )}
        </dd>
        {waitingApproval > 0 ? (
          <>
            <dt className="text-zinc-600">Awaiting approval</dt>
            <dd data-testid="strategy-awaiting-approval">
              <Link href="/approvals" className="text-indigo-700 hover:underline">
                {waitingApproval} intent{waitingApproval === 1 ? "" : "s"}
              </Link>
            </dd>
            <dt className="text-zinc-600">While they wait</dt>
            <dd data-testid="strategy-waiting-bound">
              {waitingApproval >= maxWaitingApproval
                ? `At most ${maxWaitingApproval} may wait: publishing resumes once one is decided`
                : `Keeps publishing until ${maxWaitingApproval} wait`}
            </dd>
          </>
        ) : null}
        {account ? (
          <>
            <dt className="text-zinc-600">Key holder</dt>
            <dd data-testid="strategy-key-holder">
              <KeyHolderText account={account} />
            </dd>
          </>
        ) : null}
        <dt className="text-zinc-600">Last tick</dt>
        <dd>{strategy.last_tick_at ? <RelativeTime iso={strategy.last_tick_at} /> : "never"}</dd>
      </dl>
      {strategy.last_error ? (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="strategy-last-error">
          {strategy.last_error}
        </p>
      ) : null}
      {canManage ? <StrategyPreviewControl strategy={strategy} /> : null}
      {canManage ? (
        <label className="mt-1 inline-flex cursor-pointer items-center gap-2 text-sm">
          <button
            type="button"
            role="switch"
            aria-checked={isRunning}
            aria-label={`${strategy.name} running`}
            disabled={isSaving}
            onClick={() => onToggle(strategy)}
            className={`relative h-5 w-9 rounded-full transition-colors disabled:opacity-50 ${isRunning ? "bg-emerald-500" : "bg-zinc-300"}`}
          >
            <span
              className={`absolute top-0.5 left-0.5 size-4 rounded-full bg-surface shadow transition-transform ${isRunning ? "translate-x-4" : ""}`}
            />
          </button>
          <span className="text-zinc-700">{isSaving ? "Saving…" : isRunning ? "Running" : "Idle"}</span>
        </label>
      ) : null}
    </article>
  );
}
