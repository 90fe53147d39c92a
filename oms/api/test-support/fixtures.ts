import type { SubmitIntentRequest } from "../../../lib/defix/intents";
import { depositIntent } from "../../domain/test-support/intents";

export const CHAIN_ID = 31337;
export const VAULT_A = "31337:0x000000000000000000000000000000000000000a";
export const VAULT_B = "31337:0x000000000000000000000000000000000000000b";
export const UNKNOWN_VAULT = "31337:0x00000000000000000000000000000000000000ff";

/** A well-formed DEPOSIT body for `vaultId` (the shared builder over a stand-in tree); proofs are not checked by the API layer. */
export function submitBody(vaultId: string, sizeExpr = "1000000"): SubmitIntentRequest {
  const address = (vaultId.split(":")[1] ?? "") as `0x${string}`;
  const leaf = {
    label: "Deposit4626Hook:stand-in",
    name: "Deposit4626Hook" as const,
    hook: "0x1111111111111111111111111111111111111111" as const,
    hook_args: `0x${"00".repeat(12)}${"22".repeat(20)}` as const,
    yield_source: "0x2222222222222222222222222222222222222222" as const,
    leaf: `0x${"ef".repeat(32)}` as const,
    proof: [`0x${"cd".repeat(32)}` as const],
  };
  const vault = {
    vault_id: vaultId,
    address,
    merkle: { root: `0x${"ab".repeat(32)}` as const, tree: {}, hooks: [leaf] },
  };
  return depositIntent(vault, { sizeExpr, strategyId: "inflow-1" });
}
