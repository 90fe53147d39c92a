import type { z } from "zod";
import type { EVENT_PAYLOADS, MessageType } from "../../lib/defix";

/**
 * An event before the store gives it an id, sequence number and timestamp. Its payload is typed by
 * its message type from the wire contract, so what the OMS writes is what readers are promised.
 */
export type NewEvent = {
  [T in MessageType]: {
    message_type: T;
    payload: z.input<(typeof EVENT_PAYLOADS)[T]>;
    execution_id?: string | null;
  };
}[MessageType];
