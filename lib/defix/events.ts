import { z } from "zod";
import { ApprovalSignedPayload } from "./authorization";
import { DecimalString, IntentId, IsoDateTime, TxHash, VaultId } from "./common";
import {
  AckedPayload,
  BroadcastPayload,
  CancelRequestedPayload,
  CompletedPayload,
  DroppedPayload,
  ExecutingPayload,
  MinedPayload,
  PlannedPayload,
  ReceivedPayload,
  ReplacedPayload,
  SignedPayload,
  StagedPayload,
  TerminalErrorPayload,
  WaitingPayload,
} from "./event-payloads";
import { MESSAGE_TYPES } from "./states";

/** Message types in an intent's event log; state transitions carry the new state. */
export const MessageType = z.enum(MESSAGE_TYPES);
export type MessageType = z.infer<typeof MessageType>;

export { ERROR_EVENTS, isEventOf, STATE_OF_MESSAGE, TX_EVENTS } from "./states";

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

/** Each message type's payload schema (`lib/defix/event-payloads.ts`). */
export const EVENT_PAYLOADS = {
  INTENT_RECEIVED: ReceivedPayload,
  INTENT_ACKED: AckedPayload,
  INTENT_STAGED: StagedPayload,
  INTENT_PLANNED: PlannedPayload,
  TX_SIGNED: SignedPayload,
  TX_BROADCAST: BroadcastPayload,
  TX_REPLACED: ReplacedPayload,
  TX_DROPPED: DroppedPayload,
  INTENT_EXECUTING: ExecutingPayload,
  TX_MINED: MinedPayload,
  FILL_RECORDED: Fill.loose(),
  INTENT_COMPLETED: CompletedPayload,
  INTENT_ABORTED: TerminalErrorPayload,
  INTENT_EXPIRED: TerminalErrorPayload,
  INTENT_FAILED: TerminalErrorPayload,
  INTENT_CANCELED: TerminalErrorPayload,
  CANCEL_REQUESTED: CancelRequestedPayload,
  WAITING: WaitingPayload,
  APPROVAL_SIGNED: ApprovalSignedPayload,
} as const satisfies Record<MessageType, z.ZodType>;

/** The payload an event of type `T` carries. */
export type EventPayload<T extends MessageType> = z.output<(typeof EVENT_PAYLOADS)[T]>;

const eventOf = <T extends MessageType>(type: T) =>
  z.object({
    event_id: z.string(),
    intent_id: IntentId,
    execution_id: z.string().nullable(),
    message_type: z.literal(type),
    seq_num: z.number().int().min(1),
    payload: EVENT_PAYLOADS[type],
    created_at: IsoDateTime,
    /**
     * Global append order over every intent: gapless, strictly increasing, assigned when the event
     * commits. Absent only on an event seen before its commit (an in-process projection).
     */
    position: z.number().int().min(1).optional(),
    /** Audit chain link over the intent's previous event (lib/defix/audit-chain.ts); set when committed. */
    hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  });

/** One entry of an intent's event log; `payload` is typed by `message_type`. */
export const IntentEvent = z.discriminatedUnion("message_type", [
  eventOf("INTENT_RECEIVED"),
  eventOf("INTENT_ACKED"),
  eventOf("INTENT_STAGED"),
  eventOf("INTENT_PLANNED"),
  eventOf("TX_SIGNED"),
  eventOf("TX_BROADCAST"),
  eventOf("TX_REPLACED"),
  eventOf("TX_DROPPED"),
  eventOf("INTENT_EXECUTING"),
  eventOf("TX_MINED"),
  eventOf("FILL_RECORDED"),
  eventOf("INTENT_COMPLETED"),
  eventOf("INTENT_ABORTED"),
  eventOf("INTENT_EXPIRED"),
  eventOf("INTENT_FAILED"),
  eventOf("INTENT_CANCELED"),
  eventOf("CANCEL_REQUESTED"),
  eventOf("WAITING"),
  eventOf("APPROVAL_SIGNED"),
]);
export type IntentEvent = z.infer<typeof IntentEvent>;

/** A frame of the vault stream (`GET /defix/stream`): the event plus its intent's vault, so one stream can serve many vaults. */
export const StreamedIntentEvent = z.intersection(IntentEvent, z.object({ vault_id: VaultId }));
export type StreamedIntentEvent = z.infer<typeof StreamedIntentEvent>;

/** An event of one of `types`, with its payload typed accordingly. */
export type IntentEventOf<T extends MessageType> = Extract<IntentEvent, { message_type: T }>;

export const EventsQuery = z.strictObject({
  after_seq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /** `v0.1`: the first OMS page's `{timestamp, event_type, details}` view of the same events (JSON only). */
  format: z.enum(["v0.1"]).optional(),
});

export const IntentEventList = z.object({ events: z.array(IntentEvent), last_seq: z.number().int() });
export type IntentEventList = z.infer<typeof IntentEventList>;

export const FillList = z.object({ fills: z.array(Fill) });
export type FillList = z.infer<typeof FillList>;

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
export type TxAttemptList = z.infer<typeof TxAttemptList>;
