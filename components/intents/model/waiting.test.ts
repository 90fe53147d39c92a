import { describe, expect, it } from "vitest";
import type { Readiness } from "@/lib/defix/session-keys";
import { at, makeEvent, makeIntent } from "./fixtures";
import { deriveWaiting } from "./waiting";

const notReady: Readiness = {
  vault_id: "31337:0x00000000000000000000000000000000000000aa",
  is_ready: false,
  session_key_address: null,
  expires_at: null,
  pending_rotation: false,
  reason: "NO_KEY",
  pending_session_key_address: null,
  checked_at: "2026-01-01T00:00:00.000Z",
};
const ready: Readiness = { ...notReady, is_ready: true, reason: null };
const hash = `0x${"ab".repeat(32)}`;

describe("deriveWaiting", () => {
  it("is silent for terminal intents", () => {
    expect(deriveWaiting(makeIntent({ state: "COMPLETED" }), [], null, at(1))).toBeNull();
  });

  it("names a missing session key and points at the canvas", () => {
    const intent = makeIntent({ state: "ACKED", seq_num: 2 });
    const events = [makeEvent(1, "INTENT_RECEIVED", 0), makeEvent(2, "INTENT_ACKED", 1)];
    const waiting = deriveWaiting(intent, events, notReady, at(30));
    expect(waiting?.text).toMatch(/session key \(no key\)/);
    expect(waiting?.cta).toBe("canvas");
  });

  it("prefers the OMS's own WAITING message after the current state was entered", () => {
    const intent = makeIntent({ state: "ACKED", seq_num: 3 });
    const events = [
      makeEvent(1, "INTENT_RECEIVED", 0),
      makeEvent(2, "INTENT_ACKED", 1),
      makeEvent(3, "WAITING", 2, { reason: "SESSION_KEY_NOT_READY", message: "session key expired" }),
    ];
    const waiting = deriveWaiting(intent, events, ready, at(5));
    expect(waiting).toEqual({ text: "Waiting: session key expired", since: events[2]?.created_at, cta: "canvas" });
  });

  it("says which step it is queued for when nothing blocks it", () => {
    expect(deriveWaiting(makeIntent({ state: "STAGED" }), [], ready, at(1))?.text).toMatch(/Queued for planning/);
    expect(deriveWaiting(makeIntent({ state: "PLANNED" }), [], ready, at(1))?.text).toMatch(/signed/);
  });

  it("counts the wait for a receipt and mentions fee bumps", () => {
    const intent = makeIntent({ state: "EXECUTING", tx_hash: hash as `0x${string}` });
    const events = [
      makeEvent(5, "INTENT_EXECUTING", 10, { tx_hash: hash }),
      makeEvent(6, "TX_REPLACED", 20, { tx_hash: hash, replaced_tx_hash: hash, block_number: 41 }),
    ];
    const waiting = deriveWaiting(intent, events, ready, at(50));
    expect(waiting?.text).toBe(
      "Waiting for the receipt of transaction 0xababab…abab, broadcast at block 41, after 1 fee bump for 30 s.",
    );
  });

  it("counts blocks since the broadcast when the chain head is known", () => {
    const intent = makeIntent({ state: "EXECUTING", tx_hash: hash as `0x${string}` });
    const events = [
      makeEvent(5, "INTENT_EXECUTING", 10, { tx_hash: hash }),
      makeEvent(6, "TX_BROADCAST", 11, { tx_hash: hash, block_number: 41 }),
    ];
    expect(deriveWaiting(intent, events, ready, at(50), 44)?.text).toBe(
      "Waiting for the receipt of transaction 0xababab…abab, broadcast at block 41 (3 blocks ago), for 39 s.",
    );
    expect(deriveWaiting(intent, events, ready, at(50), 42)?.text).toContain("(1 block ago)");
    expect(deriveWaiting(intent, events, ready, at(50), null)?.text).toContain("broadcast at block 41, for");
  });

  it("says when the receipt is in and only fills remain", () => {
    const intent = makeIntent({ state: "EXECUTING" });
    const events = [
      makeEvent(5, "INTENT_EXECUTING", 10, { tx_hash: hash }),
      makeEvent(6, "TX_MINED", 12, { tx_hash: hash }),
    ];
    expect(deriveWaiting(intent, events, ready, at(13))?.text).toMatch(/^Mined/);
  });

  it("reports a cancel in progress above everything else", () => {
    const intent = makeIntent({ state: "ACKED" });
    const events = [makeEvent(3, "CANCEL_REQUESTED", 4)];
    expect(deriveWaiting(intent, events, notReady, at(5))?.text).toMatch(/^Cancel requested/);
  });
});
