import { z } from "zod";
import {
  AccountMode,
  ActionConfig,
  AuthSigning,
  Bytes32,
  IntentAction,
  IntentError,
  IsoDateTime,
  type MessageType,
  Objective,
  TxHash,
} from "../../lib/defix";
import { Plan } from "./record";

/** Payload schemas per message type: the projector reads events only through these. */
export const ReceivedPayload = z.object({
  vault_id: z.string(),
  strategy_id: z.string().nullable(),
  action: IntentAction,
  objective: Objective,
  account_mode: AccountMode,
  action_config: ActionConfig,
  auth_signing: AuthSigning,
  config_hash: Bytes32,
  deadline: IsoDateTime,
  submitted_by: z.string(),
});
export type ReceivedPayload = z.input<typeof ReceivedPayload>;

export const StagedPayload = z.object({ session_key_address: z.string() });
export const PlannedPayload = z.object({ plan: Plan });
export const WaitingPayload = z.object({ reason: z.string(), message: z.string() });
export const ExecutingPayload = z.object({ tx_hash: TxHash, nonce: z.number(), signer: z.string() });
export const ReplacedPayload = z.object({ tx_hash: TxHash, replaced_tx_hash: TxHash });
export const MinedPayload = z.object({
  tx_hash: TxHash,
  block_number: z.number(),
  gas_used: z.number(),
  status: z.enum(["success", "reverted"]),
});
export const TerminalErrorPayload = z.object({ error: IntentError });

export type Payload = Record<string, unknown>;

/** An event before the store gives it an id, sequence number and timestamp. */
export interface NewEvent {
  message_type: MessageType;
  payload: Payload;
  execution_id?: string | null;
}
