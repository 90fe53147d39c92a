import type { SubmitIntentRequest } from "../../../lib/defix/intents";
import type { ManifestVault } from "../../../lib/deployment/manifest";
import { depositIntent } from "../../../oms/domain/test-support/intents";

/**
 * A valid DEPOSIT into the vault's first yield source, with the proof from the published merkle
 * artifact. `seq` goes into `execution_params`, so every call is a distinct config (no dedupe).
 */
export function depositRequest(vault: ManifestVault, seq: number, sizeExpr = "1000"): SubmitIntentRequest {
  return depositIntent(vault, { strategyId: "bench", sizeExpr, slippageBps: 100, executionParams: { bench_seq: seq } });
}

/** An intent the bench submitted, and when (bench clock). */
export interface Submitted {
  id: string;
  submittedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Submits at a steady rate (each on its own schedule, not after the previous answer) for `seconds`; with `more`, goes
 * on at the same rate while `more.wanted()` says so, up to `more.maxSeconds` in all.
 */
export async function submitPaced(
  omsUrl: string,
  headers: Record<string, string>,
  vault: ManifestVault,
  options: { seconds: number; rate: number; more?: { wanted: () => boolean; maxSeconds: number } },
  submitted: Submitted[],
): Promise<void> {
  const count = Math.round(options.seconds * options.rate);
  const most = Math.max(count, Math.round((options.more?.maxSeconds ?? 0) * options.rate));
  const start = Date.now();
  const seqBase = start;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < most && (i < count || options.more?.wanted() === true); i++) {
    await sleep(Math.max(0, start + (i * 1000) / options.rate - Date.now()));
    const submittedAt = Date.now();
    pending.push(
      fetch(`${omsUrl}/defix/intents`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(depositRequest(vault, seqBase + i)),
      }).then(async (response) => {
        const body = (await response.json()) as { id?: string };
        if (response.status !== 201 || !body.id) throw new Error(`submit answered HTTP ${response.status}`);
        submitted.push({ id: body.id, submittedAt });
      }),
    );
  }
  await Promise.all(pending);
}
