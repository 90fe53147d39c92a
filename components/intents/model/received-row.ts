import type { IntentEvent } from "@/lib/defix/events";
import type { Intent } from "@/lib/defix/intents";
import { legacyStatus } from "@/lib/defix/states";

/**
 * The row of an intent seen only by its `INTENT_RECEIVED` event, so a new intent shows at once without a fetch.
 * It is the OMS's own projection after that first event (oms/domain/projector.ts `received`): not sized, no
 * transaction, no error, no approval policy caught yet; later events move it like any loaded row. Null when the
 * payload lacks a field the row needs (an older or odd OMS): the caller then fetches the row instead of guessing.
 */
export function intentFromReceived(event: IntentEvent): Intent | null {
  if (event.message_type !== "INTENT_RECEIVED" || event.seq_num !== 1) return null;
  const p = event.payload;
  const isComplete =
    typeof p.vault_id === "string" &&
    typeof p.action === "string" &&
    typeof p.objective === "string" &&
    typeof p.account_mode === "string" &&
    typeof p.action_config === "object" &&
    p.action_config !== null &&
    typeof p.config_hash === "string" &&
    typeof p.deadline === "string" &&
    typeof p.submitted_by === "string";
  if (!isComplete) return null;
  return {
    id: event.intent_id,
    vault_id: p.vault_id,
    strategy_id: p.strategy_id ?? null,
    action: p.action,
    objective: p.objective,
    account_mode: p.account_mode,
    action_config: p.action_config,
    state: "RECEIVED",
    status: legacyStatus("RECEIVED"),
    seq_num: event.seq_num,
    config_hash: p.config_hash,
    size: null,
    deadline: p.deadline,
    created_at: event.created_at,
    updated_at: event.created_at,
    state_entered_at: event.created_at,
    completed_at: null,
    tx_hash: null,
    gas_used: null,
    error: null,
    submitted_by: p.submitted_by,
    approval_status: "not_required",
    authorization: null,
  };
}
