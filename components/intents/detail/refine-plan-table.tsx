"use client";

import { useChainContext } from "@/components/chain/chain-context";
import { TokenAmount } from "@/components/ui/token-amount";
import type { Plan } from "@/lib/defix/event-payloads";
import type { Refinement } from "@/lib/defix/refinements";
import type { TokenInfo } from "@/lib/format/amount";
import { lookupToken } from "@/lib/format/tokens";

type Call = Refinement["calls"][number];
const PREVIOUS_OUTPUT = (2n ** 256n - 1n).toString();

/** One figure of a hook call in the plan being compared (null: not planned yet / unknown). */
interface Figures {
  amount: string | null | "previous";
  min: string | null;
  simulated: string | null;
}

const fromRefinement = (call: Call): Figures => ({
  amount: call.amount ?? "previous",
  min: call.min_output,
  simulated: call.simulated_output,
});

function fromPlan(plan: Plan | null, index: number): Figures | null {
  if (plan === null) return null;
  const amount = plan.amounts[index] ?? null;
  return {
    amount: amount === PREVIOUS_OUTPUT ? "previous" : amount,
    min: plan.min_outputs[index] ?? null,
    simulated: plan.simulated_outputs[index] ?? null,
  };
}

function Amount({ raw, token }: { raw: string | null | "previous"; token: TokenInfo | null }) {
  if (raw === "previous") return <span className="text-zinc-600">previous hook's output</span>;
  return <TokenAmount raw={raw} token={token} pendingText="—" />;
}

function FigureCell({
  figures,
  tokenIn,
  tokenOut,
}: {
  figures: Figures | null;
  tokenIn: TokenInfo | null;
  tokenOut: TokenInfo | null;
}) {
  if (figures === null) return <td className="px-2 py-1 text-zinc-600 italic">not planned yet</td>;
  return (
    <td className="px-2 py-1">
      <div>
        in <Amount raw={figures.amount} token={tokenIn} />
      </div>
      <div>
        at least <Amount raw={figures.min} token={tokenOut} />
      </div>
      <div>
        simulated <Amount raw={figures.simulated} token={tokenOut} />
      </div>
    </td>
  );
}

/** Hook calls side by side: the plan at the head now, and the plan the intent was (or will be) executed with. */
export function RefinePlanTable({
  refinement,
  executed,
  executedLabel,
}: {
  refinement: Refinement;
  executed: Plan | null;
  executedLabel: string;
}) {
  const { context, tokens } = useChainContext();
  const asset = lookupToken(tokens, context.asset.address);
  return (
    <table className="w-full text-left text-sm" data-testid="refine-plan">
      <thead>
        <tr className="text-[11px] uppercase tracking-wide text-zinc-600">
          <th scope="col" className="px-2 py-1">
            Hook call
          </th>
          <th scope="col" className="px-2 py-1">
            Now (block {refinement.block_number})
          </th>
          <th scope="col" className="px-2 py-1">
            {executedLabel}
          </th>
        </tr>
      </thead>
      <tbody>
        {refinement.calls.map((call) => {
          const shares = lookupToken(tokens, call.yield_source);
          const [tokenIn, tokenOut] = call.kind === "deposit" ? [asset, shares] : [shares, asset];
          return (
            <tr key={call.index} className="border-t border-zinc-200 align-top">
              <th scope="row" className="px-2 py-1 font-normal">
                {call.index + 1}. {call.hook_name} {call.kind === "deposit" ? "into" : "from"}{" "}
                {call.yield_source_symbol ?? call.yield_source}
              </th>
              <FigureCell figures={fromRefinement(call)} tokenIn={tokenIn} tokenOut={tokenOut} />
              <FigureCell figures={fromPlan(executed, call.index)} tokenIn={tokenIn} tokenOut={tokenOut} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
