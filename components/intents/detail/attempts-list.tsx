import type { z } from "zod";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import type { TxAttempt } from "@/lib/defix/events";
import { formatGwei } from "@/lib/format/amount";

type Attempt = z.infer<typeof TxAttempt>;

const STATUS_STYLE: Record<Attempt["status"], string> = {
  SIGNED: "bg-zinc-100 text-zinc-700",
  BROADCAST: "bg-blue-50 text-blue-800",
  MINED: "bg-emerald-50 text-emerald-800",
  REVERTED: "bg-red-50 text-red-800",
  REPLACED: "bg-amber-50 text-amber-800",
  DROPPED: "bg-zinc-200 text-zinc-700",
};

/** Every signed transaction, replacements included, with nonce, fees and what became of it. */
export function AttemptsList({ attempts }: { attempts: readonly Attempt[] }) {
  if (attempts.length === 0) return <p className="text-sm text-zinc-600">No transaction signed yet.</p>;
  return (
    <ol
      className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-surface text-sm"
      data-testid="attempts-list"
    >
      {attempts.map((attempt, i) => (
        <li key={attempt.tx_hash} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2">
          <span className="text-xs text-zinc-600">#{i + 1}</span>
          <span className="inline-flex items-center font-mono text-xs">
            <ShortHex value={attempt.tx_hash} />
            <CopyButton value={attempt.tx_hash} label="Copy transaction hash" />
          </span>
          <span className={`rounded px-1.5 py-0.5 text-[11px] font-semibold ${STATUS_STYLE[attempt.status]}`}>
            {attempt.status}
          </span>
          <span className="text-xs text-zinc-600">nonce {attempt.nonce}</span>
          <span className="text-xs text-zinc-600" title={`${attempt.max_fee_per_gas} wei`}>
            max fee {formatGwei(attempt.max_fee_per_gas)}
          </span>
          <span className="text-xs text-zinc-600" title={`${attempt.max_priority_fee_per_gas} wei`}>
            tip {formatGwei(attempt.max_priority_fee_per_gas)}
          </span>
          <span className="font-mono text-xs text-zinc-600">
            signer <ShortHex value={attempt.signer} />
          </span>
          <span className="text-xs text-zinc-600">
            <RelativeTime iso={attempt.created_at} />
          </span>
        </li>
      ))}
    </ol>
  );
}
