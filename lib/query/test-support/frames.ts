/** Test fixtures for the browser's event bus: one intent's events as the BFF's SSE stream frames them. */

export const BUS_INTENT = "33333333-3333-4333-8333-333333333333";
export const BUS_VAULT = "31337:0x00000000000000000000000000000000000000a1";

/** The SSE frame of a WAITING event of `BUS_INTENT` at `position` (its seq_num too), in `vaultId`. */
export function frame(position: number, vaultId = BUS_VAULT): string {
  const event = {
    event_id: `e${position}`,
    intent_id: BUS_INTENT,
    execution_id: null,
    message_type: "WAITING",
    seq_num: position,
    payload: { reason: "SESSION_KEY_NOT_READY", message: "waiting" },
    created_at: "2026-01-01T00:00:00.000Z",
    position,
    vault_id: vaultId,
  };
  return `id: ${position}\nevent: intent_event\ndata: ${JSON.stringify(event)}\n\n`;
}
