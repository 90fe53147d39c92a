import { describe, expect, it } from "vitest";
import type { IntentEvent } from "../../lib/defix";
import { applyEvent } from "../domain/projector";
import type { IntentRecord } from "../domain/record";
import { changingColumns, INTENT_COLUMNS, recordColumns, rowToIntent } from "./rows";
import { receivedPayload } from "./test-support/fixtures";

const received = {
  event_id: "e1",
  intent_id: "6f1c2b1e-1d2c-4e5f-8a9b-0c1d2e3f4a5b",
  execution_id: null,
  message_type: "INTENT_RECEIVED",
  seq_num: 1,
  payload: { ...receivedPayload() },
  created_at: "2026-01-01T00:00:00.000Z",
} as IntentEvent;

describe("intent rows: validated on write, read back without parsing", () => {
  it("reads back the wire intent that was written", () => {
    const record = applyEvent(null, received);
    const written = { id: record.id, ...recordColumns(record, true) };
    const row = Object.fromEntries(INTENT_COLUMNS.map((column) => [column, written[column]]));
    const { auth_signing: _a, plan: _p, signer: _s, execution_id: _e, waiting_reason: _w, ...wire } = record;
    expect(rowToIntent(row as Parameters<typeof rowToIntent>[0])).toEqual(wire);
  });

  it("refuses to write a projection the wire contract would reject", () => {
    const record = applyEvent(null, received);
    const broken = { ...record, state: "LOST" } as unknown as IntentRecord;
    expect(() => changingColumns(broken, true)).toThrow(/state/);
    expect(() => recordColumns({ ...record, tx_hash: "not a hash" } as unknown as IntentRecord, true)).toThrow(
      /tx_hash/,
    );
  });
});
