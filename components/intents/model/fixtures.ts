import type { IntentEvent, MessageType } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";

/** Test data builders for the pure derivations (not used by the app). */
export function makeIntent(overrides: Partial<Intent> = {}): Intent {
  return {
    id: "11111111-1111-4111-8111-111111111111",
    vault_id: "31337:0x00000000000000000000000000000000000000aa",
    strategy_id: "inflow",
    action: "DEPOSIT",
    objective: "BALANCED",
    account_mode: "OMS",
    action_config: {
      size_expr: "1000000",
      execution_name: "Deposit4626Hook",
      execution_address: "0x00000000000000000000000000000000000000b1",
      target_address: "0x00000000000000000000000000000000000000c1",
      from_address: "0x00000000000000000000000000000000000000aa",
      max_slippage_bps: 50,
      execution_params: {},
    },
    state: "RECEIVED",
    status: "Processing",
    seq_num: 1,
    config_hash: `0x${"0".repeat(64)}`,
    size: null,
    deadline: "2026-01-01T01:00:00.000Z",
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    state_entered_at: "2026-01-01T00:00:00.000Z",
    completed_at: null,
    tx_hash: null,
    gas_used: null,
    error: null,
    submitted_by: "svc:strategy-runner",
    approval_status: "not_required",
    authorization: null,
    ...overrides,
  };
}

export function makeEvent(
  seq: number,
  type: MessageType,
  atSeconds: number,
  payload: Record<string, unknown> = {},
  intentId = "11111111-1111-4111-8111-111111111111",
): IntentEvent {
  return {
    event_id: `e${seq}`,
    intent_id: intentId,
    execution_id: null,
    message_type: type,
    seq_num: seq,
    payload,
    created_at: new Date(Date.parse("2026-01-01T00:00:00.000Z") + atSeconds * 1000).toISOString(),
    // Tests give only the payload fields they exercise.
  } as IntentEvent;
}

export const at = (seconds: number) => Date.parse("2026-01-01T00:00:00.000Z") + seconds * 1000;

/** An INTENT_RECEIVED event carrying everything a row is built from (model/received-row.ts). */
export function makeReceivedEvent(intentId: string, atSeconds: number, overrides: Record<string, unknown> = {}) {
  const { vault_id, strategy_id, action, objective, account_mode, action_config, config_hash, deadline, submitted_by } =
    makeIntent();
  const payload = { vault_id, strategy_id, action, objective, account_mode, action_config, config_hash, deadline };
  return makeEvent(1, "INTENT_RECEIVED", atSeconds, { ...payload, submitted_by, ...overrides }, intentId);
}
