import { z } from "zod";
import { DecimalString, IntentId, IsoDateTime, TxHash } from "./common";
import type { IntentState } from "./intents";

/** Message types in an intent's event log; state transitions carry the new state. */
export const MessageType = z.enum([
  "INTENT_RECEIVED",
  "INTENT_ACKED",
  "INTENT_STAGED",
  "INTENT_PLANNED",
  "TX_SIGNED",
  "TX_BROADCAST",
  "TX_REPLACED",
  "TX_DROPPED",
  "INTENT_EXECUTING",
  "TX_MINED",
  "FILL_RECORDED",
  "INTENT_COMPLETED",
  "INTENT_ABORTED",
  "INTENT_EXPIRED",
  "INTENT_FAILED",
  "INTENT_CANCELED",
  "CANCEL_REQUESTED",
  "WAITING",
]);
export type MessageType = z.infer<typeof MessageType>;

/** The state each state-changing message type leads to; the other types are evidence within a state. */
export const STATE_OF_MESSAGE: Readonly<Partial<Record<MessageType, IntentState>>> = {
  INTENT_RECEIVED: "RECEIVED",
  INTENT_ACKED: "ACKED",
  INTENT_STAGED: "STAGED",
  INTENT_PLANNED: "PLANNED",
  INTENT_EXECUTING: "EXECUTING",
  INTENT_COMPLETED: "COMPLETED",
  INTENT_ABORTED: "ABORTED",
  INTENT_EXPIRED: "EXPIRED",
  INTENT_FAILED: "FAILED",
  INTENT_CANCELED: "CANCELED",
};

export const IntentEvent = z.object({
  event_id: z.string(),
  intent_id: IntentId,
  execution_id: z.string().nullable(),
  message_type: MessageType,
  seq_num: z.number().int().min(1),
  payload: z.record(z.string(), z.unknown()),
  created_at: IsoDateTime,
});
export type IntentEvent = z.infer<typeof IntentEvent>;

export const EventsQuery = z.strictObject({
  after_seq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const IntentEventList = z.object({ events: z.array(IntentEvent), last_seq: z.number().int() });

export const Fill = z.object({
  fill_id: z.string(),
  intent_id: IntentId,
  tx_hash: TxHash,
  chain_id: z.number().int(),
  amount_in: DecimalString.nullable(),
  amount_out: DecimalString.nullable(),
  token_in: z.string().nullable(),
  token_out: z.string().nullable(),
  venue: z.string().nullable(),
  gas_used: z.number().int().nullable(),
  block_number: z.number().int().nullable(),
  mined_at: IsoDateTime.nullable(),
});
export type Fill = z.infer<typeof Fill>;
export const FillList = z.object({ fills: z.array(Fill) });

/** One signed transaction attempt (replacements included). */
export const TxAttempt = z.object({
  tx_hash: TxHash,
  nonce: z.number().int(),
  signer: z.string(),
  max_fee_per_gas: DecimalString,
  max_priority_fee_per_gas: DecimalString,
  status: z.enum(["SIGNED", "BROADCAST", "MINED", "REVERTED", "REPLACED", "DROPPED"]),
  created_at: IsoDateTime,
});
export const TxAttemptList = z.object({ attempts: z.array(TxAttempt) });
