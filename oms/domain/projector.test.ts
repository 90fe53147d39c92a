import { describe, expect, it } from "vitest";
import type { IntentEvent, MessageType } from "../../lib/defix";
import { receivedPayload } from "../store/test-support/fixtures";
import { applyEvent, ProjectionError, replay } from "./projector";

const ID = "6f1c2b1e-1d2c-4e5f-8a9b-0c1d2e3f4a5b";
const TX = `0x${"ab".repeat(32)}`;

function events(...specs: Array<[MessageType, Record<string, unknown>?]>): IntentEvent[] {
  return specs.map(([message_type, payload = {}], i) => ({
    event_id: `e${i + 1}`,
    intent_id: ID,
    execution_id: null,
    message_type,
    seq_num: i + 1,
    payload,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    // Payloads per spec; the projector's own parsing is what these tests exercise.
  })) as IntentEvent[];
}

const plan = {
  size: "1000",
  hooks: ["0x01"],
  hook_args: ["0x02"],
  amounts: ["1000"],
  min_outputs: ["990"],
  proofs: [[]],
  simulated_outputs: ["1000"],
  gas_limit: "200000",
};

const happy = events(
  ["INTENT_RECEIVED", { ...receivedPayload() }],
  ["INTENT_ACKED"],
  ["WAITING", { reason: "SESSION_KEY_NOT_READY", message: "no key" }],
  ["INTENT_STAGED", { session_key_address: "0xkey" }],
  ["INTENT_PLANNED", { plan }],
  ["TX_SIGNED"],
  ["INTENT_EXECUTING", { tx_hash: TX, nonce: 0, signer: "0xkey" }],
  ["TX_BROADCAST"],
  ["TX_MINED", { tx_hash: TX, block_number: 5, gas_used: 123_456, status: "success" }],
  ["FILL_RECORDED"],
  ["INTENT_COMPLETED"],
);

describe("applyEvent", () => {
  it("projects the whole happy path", () => {
    const intent = replay(happy);
    expect(intent).toMatchObject({
      id: ID,
      state: "COMPLETED",
      status: "Completed",
      seq_num: happy.length,
      size: "1000",
      tx_hash: TX,
      gas_used: 123_456,
      error: null,
      completed_at: happy.at(-1)?.created_at,
      created_at: happy[0]?.created_at,
      waiting_reason: null,
    });
  });

  it("records the wait reason while waiting and clears it on the next state", () => {
    expect(replay(happy.slice(0, 3))?.waiting_reason).toBe("SESSION_KEY_NOT_READY");
    expect(replay(happy.slice(0, 4))?.waiting_reason).toBeNull();
  });

  it("carries the error of a terminal exit and the legacy status", () => {
    const canceled = replay(
      events(
        ["INTENT_RECEIVED", { ...receivedPayload() }],
        ["INTENT_CANCELED", { error: { code: "C", message: "m" } }],
      ),
    );
    expect(canceled).toMatchObject({ state: "CANCELED", status: "Cancelled", error: { code: "C", message: "m" } });
  });

  it("never changes a terminal intent", () => {
    const done = replay(happy);
    if (done === null) throw new Error("unreachable");
    const late = { ...(happy[1] as IntentEvent), seq_num: done.seq_num + 1 };
    expect(() => applyEvent(done, late)).toThrow(/terminal/);
  });

  it("rejects gaps, repeats and foreign events", () => {
    const start = replay(happy.slice(0, 1));
    if (start === null) throw new Error("unreachable");
    expect(() => applyEvent(start, { ...(happy[1] as IntentEvent), seq_num: 3 })).toThrow(ProjectionError);
    expect(() => applyEvent(start, { ...(happy[1] as IntentEvent), seq_num: 1 })).toThrow(ProjectionError);
    expect(() => applyEvent(start, { ...(happy[1] as IntentEvent), intent_id: "other" })).toThrow(ProjectionError);
  });

  it.each([
    [["INTENT_RECEIVED", "INTENT_EXECUTING"]],
    [["INTENT_RECEIVED", "INTENT_COMPLETED"]],
    [["INTENT_RECEIVED", "TX_MINED"]],
    [["INTENT_ACKED"]],
  ] as const)("rejects the out-of-lifecycle sequence %j", (types) => {
    const list = events(
      ...types.map((t): [MessageType, Record<string, unknown>] => [
        t,
        t === "INTENT_RECEIVED" ? { ...receivedPayload() } : {},
      ]),
    );
    expect(() => replay(list)).toThrow(ProjectionError);
  });

  it("refuses to cancel or expire an EXECUTING intent", () => {
    const executing = replay(happy.slice(0, 7));
    if (executing === null) throw new Error("unreachable");
    for (const type of ["INTENT_CANCELED", "INTENT_EXPIRED", "INTENT_ABORTED"] as const) {
      const event = {
        ...(happy[7] as IntentEvent),
        message_type: type,
        payload: { error: { code: "X", message: "x" } },
      };
      expect(() => applyEvent(executing, event)).toThrow(/not a lifecycle transition/);
    }
  });
});
