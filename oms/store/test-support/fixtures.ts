import type { ReceivedPayload } from "../../../lib/defix";

const VAULT = "0x00000000000000000000000000000000000000aa";

/** A RECEIVED payload that satisfies the schemas; `overrides` change the idempotency key. */
export function receivedPayload(overrides: Partial<ReceivedPayload> = {}): ReceivedPayload {
  return {
    vault_id: `31337:${VAULT}`,
    strategy_id: "s-1",
    action: "DEPOSIT",
    objective: "BALANCED",
    account_mode: "OMS",
    action_config: {
      size_expr: "1000",
      execution_name: "Deposit4626Hook",
      execution_address: "0x00000000000000000000000000000000000000d1",
      target_address: "0x00000000000000000000000000000000000000b1",
      from_address: VAULT,
      max_slippage_bps: 50,
      execution_params: {},
    },
    auth_signing: { root: `0x${"11".repeat(32)}`, proof: [] },
    config_hash: `0x${"22".repeat(32)}`,
    deadline: new Date(Date.now() + 3_600_000).toISOString(),
    submitted_by: "0x00000000000000000000000000000000000000ff",
    ...overrides,
  };
}
