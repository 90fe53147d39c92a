"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useChainContext } from "@/components/chain/chain-context";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { ShortHex } from "@/components/ui/short-hex";
import { TokenAmount } from "@/components/ui/token-amount";
import { useErrorHint } from "@/components/ui/use-error-hint";
import type { IntentEvent } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";
import type { Refinement } from "@/lib/defix/refinements";
import type { ErrorHint } from "@/lib/defix/store-hint";
import { lookupToken } from "@/lib/format/tokens";
import { isApiError } from "@/lib/query/fetcher";
import { refineIntentNow } from "@/lib/query/intent-detail";
import { chainHeadOptions } from "@/lib/query/vaults";
import { RefinePlanTable } from "./refine-plan-table";

function failureText(error: unknown, hint: ErrorHint | null): string {
  if (!isApiError(error)) return "The refinement did not go through. Try again.";
  if (error.isUpstreamDown) return "The OMS is unreachable; nothing was planned. Try again when it is back.";
  return `${hint ? `${hint.title} ` : ""}(${error.code}): ${error.message}`;
}

/** The plan the intent was given, from its INTENT_PLANNED event (null until it is planned). */
function executedPlan(events: readonly IntentEvent[]) {
  const planned = events.findLast((event) => event.message_type === "INTENT_PLANNED");
  return planned?.message_type === "INTENT_PLANNED" ? planned.payload.plan : null;
}

function PlanFailure({ error }: { error: NonNullable<Refinement["error"]> }) {
  return (
    <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
      <p className="font-semibold">
        Would fail now: {error.title} <span className="font-mono text-xs font-normal">{error.code}</span>
      </p>
      <p className="mt-1">{error.hint}</p>
      <p className="mt-1 font-mono text-xs break-all">{error.message}</p>
    </div>
  );
}

function Result({
  refinement,
  intent,
  events,
}: {
  refinement: Refinement;
  intent: Intent;
  events: readonly IntentEvent[];
}) {
  const { context, tokens } = useChainContext();
  const head = useQuery(chainHeadOptions());
  const behind = head.data === undefined ? 0 : head.data.block_number - refinement.block_number;
  const executed = executedPlan(events);
  const label = intent.state === "PLANNED" || intent.state === "EXECUTING" ? "Executing with" : "Planned with";
  return (
    <div className="space-y-3" data-testid="refine-result" data-outcome={refinement.outcome}>
      <p className="text-xs text-zinc-600">
        Planned at block {refinement.block_number}, <RelativeTime iso={refinement.created_at} />. Nothing was signed or
        sent.
        {behind > 0 ? (
          <span className="ml-1 font-semibold text-amber-800" data-testid="refine-stale">
            The chain has moved {behind} block{behind === 1 ? "" : "s"} since: refine again for the current state.
          </span>
        ) : null}
      </p>
      {refinement.error ? <PlanFailure error={refinement.error} /> : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm md:grid-cols-4">
        <div>
          <dt className="text-[11px] font-semibold uppercase tracking-wide text-zinc-600">Size now</dt>
          <dd>
            <TokenAmount raw={refinement.size} token={lookupToken(tokens, context.asset.address)} pendingText="—" />
          </dd>
        </div>
        <div>
          <dt className="text-[11px] font-semibold uppercase tracking-wide text-zinc-600">Gas</dt>
          <dd data-testid="refine-gas">
            {refinement.gas ? `${refinement.gas.estimate} gas ≈ ${refinement.gas.cost_eth} ETH at most` : "—"}
          </dd>
        </div>
        <div>
          <dt className="text-[11px] font-semibold uppercase tracking-wide text-zinc-600">Signed by</dt>
          <dd className="font-mono text-xs">
            {refinement.signer.session_key_address ? (
              <ShortHex value={refinement.signer.session_key_address} />
            ) : (
              "no session key"
            )}
            {refinement.signer.is_ready ? "" : " (not ready)"}
          </dd>
        </div>
        <div>
          <dt className="text-[11px] font-semibold uppercase tracking-wide text-zinc-600">Plan at intent</dt>
          <dd>
            {executed ? (
              <TokenAmount raw={executed.size} token={lookupToken(tokens, context.asset.address)} />
            ) : (
              "not planned yet"
            )}
          </dd>
        </div>
      </dl>
      <RefinePlanTable refinement={refinement} executed={executed} executedLabel={label} />
    </div>
  );
}

/** "Refine now": what this waiting intent would do if it were planned at the current head, beside its own plan. */
export function RefinePanel({ intent, events }: { intent: Intent; events: readonly IntentEvent[] }) {
  const mutation = useMutation({ mutationFn: () => refineIntentNow(intent.id) });
  const hint = useErrorHint(isApiError(mutation.error) ? mutation.error.code : null);
  return (
    <section aria-labelledby="refine-title" className="space-y-2 rounded-lg border border-zinc-200 bg-surface p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="refine-title" className="font-semibold">
          Plan at the current block
        </h2>
        <Button onClick={() => mutation.mutate()} disabled={mutation.isPending}>
          {mutation.isPending ? "Refining…" : mutation.data ? "Refine again" : "Refine now"}
        </Button>
      </div>
      {mutation.isPending ? (
        <p role="status" className="text-sm text-zinc-600">
          Planning against the head block…
        </p>
      ) : mutation.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {failureText(mutation.error, hint)}
        </p>
      ) : mutation.data ? (
        <Result refinement={mutation.data} intent={intent} events={events} />
      ) : (
        <p className="text-sm text-zinc-600">
          See whether this intent would succeed if it were planned now: size, hook calls, outputs and gas. Nothing is
          signed or sent.
        </p>
      )}
    </section>
  );
}
