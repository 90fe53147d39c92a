import { describe, expect, it } from "vitest";
import { mergeRowWrites, NO_ROW_WRITES } from "./row-writes";

describe("mergeRowWrites", () => {
  it("folds one attempt's changes from several steps into one, the later step's columns winning", () => {
    // Broadcast, then mined, queued in one drive: PostgreSQL's UPDATE … FROM would apply only one of two rows.
    const merged = mergeRowWrites([
      { attempts: [{ tx_hash: "0xa", status: "BROADCAST", updated_at: "t1", broadcast_block: 7 }], fills: [] },
      undefined,
      {
        attempts: [
          { tx_hash: "0xa", status: "MINED", updated_at: "t2", mined_block: 8 },
          { tx_hash: "0xb", status: "REPLACED", updated_at: "t2" },
        ],
        fills: [],
      },
    ]);
    expect(merged.attempts).toEqual([
      { tx_hash: "0xa", status: "MINED", updated_at: "t2", broadcast_block: 7, mined_block: 8 },
      { tx_hash: "0xb", status: "REPLACED", updated_at: "t2" },
    ]);
  });

  it("writes nothing when no step has rows", () => {
    expect(mergeRowWrites([undefined, undefined])).toEqual(NO_ROW_WRITES);
  });
});
