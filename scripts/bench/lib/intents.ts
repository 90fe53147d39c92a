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
