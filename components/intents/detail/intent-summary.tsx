"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useChainContext } from "@/components/chain/chain-context";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import { TokenAmount } from "@/components/ui/token-amount";
import { useNow } from "@/components/ui/use-now";
import type { Intent } from "@/lib/defix/intents";
import { formatDuration } from "@/lib/format/duration";
import { lookupToken, vaultName } from "@/lib/format/tokens";
import { totalDurationMs } from "../model/lifecycle";
import { strategyLabel, useStrategyNames } from "../strategy-names";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] font-semibold uppercase tracking-wide text-zinc-600">{label}</dt>
      <dd className="mt-0.5 truncate text-sm">{children}</dd>
    </div>
  );
}

function Hex({ value, what }: { value: string; what: string }) {
  return (
    <span className="inline-flex items-center font-mono text-xs">
      <ShortHex value={value} />
      <CopyButton value={value} label={`Copy ${what}`} />
    </span>
  );
}

/** The intent's facts at a glance: what, where, how much, when, and the on-chain evidence. */
export function IntentSummary({ intent }: { intent: Intent }) {
  const { context, tokens } = useChainContext();
  const now = useNow();
  const config = intent.action_config;
  const target = lookupToken(tokens, config.target_address);
  const asset = lookupToken(tokens, context.asset.address);
  const strategyNames = useStrategyNames([intent.vault_id]);
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-zinc-200 bg-surface p-4 md:grid-cols-4 xl:grid-cols-6">
      <Field label="Vault">
        <Link
          href={`/intents?vault_id=${encodeURIComponent(intent.vault_id)}`}
          className="text-blue-700 hover:underline"
          title={intent.vault_id}
        >
          {vaultName(context, intent.vault_id)}
        </Link>
      </Field>
      <Field label="Action">{intent.action}</Field>
      <Field label="Strategy">
        <span title={intent.strategy_id ?? undefined}>{strategyLabel(intent, strategyNames)}</span>
      </Field>
      <Field label="Size">
        {intent.size === null ? (
          <span title="resolved when planned">{config.size_expr}</span>
        ) : (
          <TokenAmount raw={intent.size} token={asset} />
        )}
      </Field>
      <Field label="Hook">
        <span title={config.execution_address}>{config.execution_name}</span>
      </Field>
      <Field label="Target">
        {target ? `${target.symbol}` : <Hex value={config.target_address} what="target address" />}
      </Field>
      <Field label="Objective">{intent.objective}</Field>
      <Field label="Account mode">{intent.account_mode}</Field>
      <Field label="Max slippage">{(config.max_slippage_bps / 100).toFixed(2)}%</Field>
      <Field label="Created">
        <RelativeTime iso={intent.created_at} />
      </Field>
      <Field label={intent.completed_at ? "Took" : "Running for"}>
        {now === null && !intent.completed_at ? "—" : formatDuration(totalDurationMs(intent, now ?? Date.now()))}
      </Field>
      <Field label="Deadline">
        <RelativeTime iso={intent.deadline} />
      </Field>
      <Field label="Tx hash">{intent.tx_hash ? <Hex value={intent.tx_hash} what="transaction hash" /> : "—"}</Field>
      <Field label="Gas used">{intent.gas_used?.toLocaleString("en") ?? "—"}</Field>
      <Field label="Submitted by">
        <span title={intent.submitted_by}>
          {intent.submitted_by.startsWith("0x") ? <ShortHex value={intent.submitted_by} /> : intent.submitted_by}
        </span>
      </Field>
      <Field label="Seq">{intent.seq_num}</Field>
    </dl>
  );
}
