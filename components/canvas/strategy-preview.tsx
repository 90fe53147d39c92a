"use client";

import { useMutation } from "@tanstack/react-query";
import { useChainContext } from "@/components/chain/chain-context";
import { Button } from "@/components/ui/button";
import { TokenAmount } from "@/components/ui/token-amount";
import { errorHint } from "@/lib/defix/error-hints";
import type { StrategyPreview as Preview, Strategy } from "@/lib/defix/strategies";
import { lookupToken } from "@/lib/format/tokens";
import { isApiError } from "@/lib/query/fetcher";
import { previewStrategy } from "@/lib/query/runner";

function failureText(error: unknown): string {
  if (!isApiError(error)) return "The preview did not go through. Try again.";
  if (error.isUpstreamDown) return "The runner or the OMS is unreachable; nothing was previewed.";
  return `${errorHint(error.code).title} (${error.code}): ${error.message}`;
}

function PreviewResult({ preview }: { preview: Preview }) {
  const { context, tokens } = useChainContext();
  if (preview.kind === "skip") {
    return (
      <p className="text-xs text-red-700" data-testid="strategy-preview" data-kind="skip">
        Would publish nothing: {preview.reason}.
      </p>
    );
  }
  const { refinement } = preview;
  const asset = lookupToken(tokens, context.asset.address);
  const first = refinement.calls[0];
  const last = refinement.calls.at(-1);
  const expected = last?.simulated_output ?? null;
  const outToken = last?.kind === "deposit" ? lookupToken(tokens, last.yield_source) : asset;
  return (
    <div className="space-y-1 text-xs" data-testid="strategy-preview" data-kind={refinement.outcome}>
      <p>
        {preview.action} <TokenAmount raw={refinement.size} token={asset} pendingText="(size unknown)" />{" "}
        {first
          ? `from ${first.kind === "deposit" ? "idle assets" : (first.yield_source_symbol ?? first.yield_source)}`
          : ""}
        {last ? ` to ${last.kind === "deposit" ? (last.yield_source_symbol ?? last.yield_source) : "idle assets"}` : ""}
      </p>
      {refinement.error ? (
        <p role="alert" className="text-red-700">
          Would fail: {refinement.error.title}. {refinement.error.hint}
        </p>
      ) : (
        <p className="text-zinc-700">
          Expected out <TokenAmount raw={expected} token={outToken} pendingText="—" /> · gas ≈{" "}
          {refinement.gas?.cost_eth ?? "?"} ETH at most
        </p>
      )}
      <p className="text-zinc-600">Planned at block {refinement.block_number}; no intent was created.</p>
    </div>
  );
}

/** "Preview next intent": what the strategy would publish on its next tick, refined by the OMS. */
export function StrategyPreviewControl({ strategy }: { strategy: Strategy }) {
  const mutation = useMutation({ mutationFn: () => previewStrategy(strategy.strategy_id) });
  return (
    <div className="space-y-1">
      <Button size="sm" onClick={() => mutation.mutate()} disabled={mutation.isPending}>
        {mutation.isPending ? "Previewing…" : "Preview next intent"}
      </Button>
      {mutation.isPending ? (
        <p role="status" className="text-xs text-zinc-600">
          Asking the OMS to plan it…
        </p>
      ) : mutation.isError ? (
        <p role="alert" className="text-xs text-red-700">
          {failureText(mutation.error)}
        </p>
      ) : mutation.data ? (
        <PreviewResult preview={mutation.data} />
      ) : null}
    </div>
  );
}
