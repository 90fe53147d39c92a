import type { Selectable } from "kysely";
import { Intent, type IntentEvent, MessageType } from "../../lib/defix";
import { IntentRecord } from "../domain/record";
import type { IntentEventsTable, IntentsTable } from "./schema";

type IntentRow = Selectable<IntentsTable>;

const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** The one place stored intent rows are parsed back into the domain shape. */
export function rowToRecord(row: IntentRow): IntentRecord {
  return IntentRecord.parse({
    ...intentFields(row),
    auth_signing: json(row.auth_signing),
    plan: json(row.plan),
    signer: row.signer,
    execution_id: row.execution_id,
    waiting_reason: row.waiting_reason,
  });
}

/** Columns the wire `Intent` is built from: a list selects only these (not plan, auth_signing, …). */
export const INTENT_COLUMNS = [
  "id",
  "vault_id",
  "strategy_id",
  "action",
  "objective",
  "account_mode",
  "action_config",
  "state",
  "seq_num",
  "config_hash",
  "size",
  "deadline",
  "created_at",
  "updated_at",
  "state_entered_at",
  "completed_at",
  "tx_hash",
  "gas_used",
  "error_code",
  "error_message",
  "submitted_by",
  "approval_status",
  "quorum",
] as const satisfies readonly (keyof IntentRow)[];
export type IntentColumnsRow = Pick<IntentRow, (typeof INTENT_COLUMNS)[number]>;

/**
 * A row straight to the wire shape (GET /defix/intents/{id} and the list): the same as
 * `toIntent(rowToRecord(row))`, without parsing. Every write of these columns went through
 * `changingColumns`, which validates the wire view before it reaches the database, so a read trusts
 * it: parsing 50 rows per page was the list's largest cost after the query.
 */
export function rowToIntent(row: IntentColumnsRow): Intent {
  return intentFields(row) as Intent;
}

function intentFields(row: IntentColumnsRow) {
  return {
    id: row.id,
    vault_id: row.vault_id,
    strategy_id: row.strategy_id,
    action: row.action,
    objective: row.objective,
    account_mode: row.account_mode,
    action_config: json(row.action_config),
    state: row.state,
    status: statusOf(row.state),
    seq_num: row.seq_num,
    config_hash: row.config_hash,
    size: row.size,
    deadline: row.deadline,
    created_at: row.created_at,
    updated_at: row.updated_at,
    state_entered_at: row.state_entered_at,
    completed_at: row.completed_at,
    tx_hash: row.tx_hash,
    gas_used: row.gas_used,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? "" },
    submitted_by: row.submitted_by,
    approval_status: row.approval_status,
    authorization: json(row.quorum),
  };
}

function statusOf(state: string): string {
  if (state === "COMPLETED") return "Completed";
  if (state === "CANCELED") return "Cancelled";
  if (state === "FAILED" || state === "ABORTED" || state === "EXPIRED") return "Failed";
  return "Processing";
}

/** Projection columns of a record (lease and scheduling columns are not part of the projection). */
export function recordColumns(record: IntentRecord, isActive: boolean) {
  return {
    vault_id: record.vault_id,
    strategy_id: record.strategy_id,
    action: record.action,
    objective: record.objective,
    account_mode: record.account_mode,
    action_config: JSON.stringify(record.action_config),
    auth_signing: JSON.stringify(record.auth_signing),
    config_hash: record.config_hash,
    deadline: record.deadline,
    created_at: record.created_at,
    submitted_by: record.submitted_by,
    ...changingColumns(record, isActive),
  };
}

/**
 * The projection columns events after INTENT_RECEIVED can change (see oms/core/projector.ts): what a
 * transition writes. The rest is fixed at submit, so it is neither serialised nor rewritten per step.
 */
export function changingColumns(record: IntentRecord, isActive: boolean) {
  // The one gate for what reads serve unparsed (`rowToIntent`): an invalid projection fails the write.
  Intent.parse(record);
  return {
    state: record.state,
    seq_num: record.seq_num,
    size: record.size,
    updated_at: record.updated_at,
    state_entered_at: record.state_entered_at,
    completed_at: record.completed_at,
    tx_hash: record.tx_hash,
    gas_used: record.gas_used,
    error_code: record.error?.code ?? null,
    error_message: record.error?.message ?? null,
    plan: record.plan === null ? null : JSON.stringify(record.plan),
    signer: record.signer,
    execution_id: record.execution_id,
    waiting_reason: record.waiting_reason,
    approval_status: record.approval_status,
    quorum: record.authorization === null ? null : JSON.stringify(record.authorization),
    active: isActive ? 1 : 0,
  };
}

export function rowToEvent(row: Selectable<IntentEventsTable>): IntentEvent {
  return {
    event_id: row.event_id,
    intent_id: row.intent_id,
    execution_id: row.execution_id,
    message_type: MessageType.parse(row.message_type),
    seq_num: row.seq_num,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    created_at: row.created_at,
    ...(row.position === null ? {} : { position: Number(row.position) }),
    ...(row.hash === null ? {} : { hash: row.hash }),
    // Written only through NewEvent (payload typed by message type); not re-validated on every read.
  } as IntentEvent;
}
