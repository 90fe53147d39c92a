"use client";

import { useChainContext } from "@/components/chain/chain-context";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import { TokenAmount } from "@/components/ui/token-amount";
import type { Fill } from "@/lib/defix/events";
import { explorerTxUrl, lookupToken } from "@/lib/format/tokens";

/** On-chain evidence: one row per fill; rows before their receipt say so rather than show zeros. */
export function FillsTable({ fills }: { fills: readonly Fill[] }) {
  const { context, tokens } = useChainContext();
  if (fills.length === 0) {
    return (
      <p className="text-sm text-zinc-600">
        No fills yet. A fill is recorded from the transaction receipt once it is mined.
      </p>
    );
  }
  // A REBALANCE writes one fill per leg, each carrying the whole transaction's gas: say so, or a reader sums it twice.
  const fillsPerTx = new Map<string, number>();
  for (const fill of fills) fillsPerTx.set(fill.tx_hash, (fillsPerTx.get(fill.tx_hash) ?? 0) + 1);
  const hasShared = [...fillsPerTx.values()].some((count) => count > 1);
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-surface">
      <table aria-label="Fills" className="w-full text-sm" data-testid="fills-table">
        <thead className="bg-zinc-50 text-left text-[11px] uppercase tracking-wide text-zinc-600">
          <tr>
            {["Tx hash", "Chain", "In", "Out", "Venue", "Gas used", "Mined"].map((header) => (
              <th key={header} scope="col" className="px-3 py-2 font-semibold">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {fills.map((fill) => {
            const tokenIn = lookupToken(tokens, fill.token_in);
            const tokenOut = lookupToken(tokens, fill.token_out);
            const url = explorerTxUrl(context, fill.tx_hash);
            return (
              <tr key={fill.fill_id} data-tx-hash={fill.tx_hash}>
                <td className="flex items-center px-3 py-2 font-mono text-xs">
                  {url ? (
                    <a href={url} target="_blank" rel="noreferrer" className="text-blue-700 underline">
                      <ShortHex value={fill.tx_hash} />
                    </a>
                  ) : (
                    <ShortHex value={fill.tx_hash} />
                  )}
                  <CopyButton value={fill.tx_hash} label="Copy transaction hash" />
                </td>
                <td className="px-3 py-2 text-xs">{fill.chain_id}</td>
                <td className="px-3 py-2">
                  <TokenAmount raw={fill.amount_in} token={tokenIn} />
                  {!tokenIn && fill.token_in ? (
                    <ShortHex value={fill.token_in} className="ml-1 font-mono text-xs" />
                  ) : null}
                </td>
                <td className="px-3 py-2">
                  <TokenAmount raw={fill.amount_out} token={tokenOut} />
                  {!tokenOut && fill.token_out ? (
                    <ShortHex value={fill.token_out} className="ml-1 font-mono text-xs" />
                  ) : null}
                </td>
                <td className="px-3 py-2 text-xs">{fill.venue ?? "—"}</td>
                <td className="px-3 py-2 text-xs tabular-nums">
                  {fill.gas_used === null ? (
                    <span className="italic text-zinc-600">awaiting receipt</span>
                  ) : (
                    fill.gas_used.toLocaleString("en")
                  )}
                  {(fillsPerTx.get(fill.tx_hash) ?? 0) > 1 ? (
                    <span className="block text-[11px] text-zinc-600" data-shared-tx>
                      one transaction, {fillsPerTx.get(fill.tx_hash)} fills
                    </span>
                  ) : null}
                </td>
                <td className="px-3 py-2 text-xs">
                  {fill.mined_at ? (
                    <>
                      <RelativeTime iso={fill.mined_at} />
                      {fill.block_number !== null ? (
                        <span className="text-zinc-600"> · block {fill.block_number}</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="italic text-zinc-600">awaiting receipt</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {hasShared ? (
        <p className="border-t border-zinc-100 px-3 py-2 text-xs text-zinc-600">
          Fills of one transaction show that transaction's gas each; it was paid once (the Costs view counts it once).
        </p>
      ) : null}
    </div>
  );
}
