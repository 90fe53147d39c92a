import { afterEach, describe, expect, it } from "vitest";
import { chainLink, eventDigest, eventHash, GENESIS_HASH, recordDigest, setSha256 } from "../../lib/defix/audit-chain";
import { nodeSha256Hex } from "./native-hashes";

const event = {
  event_id: "3f1c0e9a-1b2c-4d5e-8f90-123456789abc",
  intent_id: "9d8c7b6a-5f4e-4d3c-8b2a-0123456789ab",
  execution_id: null,
  message_type: "INTENT_RECEIVED",
  seq_num: 1,
  payload: { note: "café ✓ 𝄞", amounts: ["1", "20000000000000000000"], nested: { b: 2, a: [1, { z: null }] } },
  created_at: "2026-12-03T15:00:00.000Z",
};

describe("the audit chain's SHA-256 on node:crypto", () => {
  afterEach(() => setSha256(null));

  it("computes the digests and links viem's SHA-256 computes", () => {
    const records = [event, { text: "x".repeat(5_000) }, {}, [], "plain", 12];
    const js = {
      records: records.map(recordDigest),
      digest: eventDigest(event),
      link: chainLink(GENESIS_HASH, eventDigest(event), 2 ** 40 + 7),
      hash: eventHash(GENESIS_HASH, { ...event, position: 1 }),
    };
    setSha256(nodeSha256Hex);
    expect(records.map(recordDigest)).toEqual(js.records);
    expect(eventDigest(event)).toBe(js.digest);
    expect(chainLink(GENESIS_HASH, eventDigest(event), 2 ** 40 + 7)).toBe(js.link);
    expect(eventHash(GENESIS_HASH, { ...event, position: 1 })).toBe(js.hash);
    expect(js.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is the known SHA-256 (the empty input)", () => {
    expect(nodeSha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
