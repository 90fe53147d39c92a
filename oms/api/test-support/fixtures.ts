import type { SubmitIntentRequest } from "../../../lib/defix/intents";

export const CHAIN_ID = 31337;
export const VAULT_A = "31337:0x000000000000000000000000000000000000000a";
export const VAULT_B = "31337:0x000000000000000000000000000000000000000b";
export const UNKNOWN_VAULT = "31337:0x00000000000000000000000000000000000000ff";

/** A well-formed submit body for `vaultId`; proofs are not checked by the API layer. */
export function submitBody(vaultId: string, sizeExpr = "1000000"): SubmitIntentRequest {
  const vault = vaultId.split(":")[1] ?? "";
  return {
    vault_id: vaultId,
    strategy_id: "inflow-1",
    action: "DEPOSIT",
    objective: "BALANCED",
    action_config: {
      size_expr: sizeExpr,
      execution_name: "Deposit4626Hook",
      execution_address: "0x1111111111111111111111111111111111111111",
      target_address: "0x2222222222222222222222222222222222222222",
      from_address: vault,
      max_slippage_bps: 50,
      execution_params: {},
    },
    auth_signing: { root: `0x${"ab".repeat(32)}`, proof: [`0x${"cd".repeat(32)}`] },
    account_mode: "OMS",
  };
}
