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
    </div>
  );
}
