import { describe, expect, it } from "vitest";
import { eventHash, GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Db } from "./db";
import { listEvents } from "./events-repo";
import { type BatchOutcome, insertIntentBatch } from "./intent-batch";
import { type Committed, commitTransition, getIntent } from "./intents-repo";
import { headPosition } from "./positions";
import { DIALECTS, withTestDatabase } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const OTHER_VAULT = `31337:0x${"ab".repeat(20)}`;
const committed = (outcomes: readonly BatchOutcome[]) =>
  outcomes.filter((outcome): outcome is Committed => typeof outcome === "object");
const abort = { message_type: "INTENT_ABORTED", payload: { error: { code: "X", message: "x" } } } as const;

describe.each(DIALECTS)("intent batches on %s", (dialect) => {
  let handle: Db;
  let next = 1;
  const fresh = (overrides: Parameters<typeof receivedPayload>[0] = {}) => ({
    payload: receivedPayload({ config_hash: hash(next++), ...overrides }),
    at: new Date(),
  });
  const liveIn = async (vaultId: string) =>
    Number(
      (
        await handle.db
          .selectFrom("intents")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("vault_id", "=", vaultId)
          .where("active", "=", 1)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const finishAll = async (vaultId: string) => {
    const rows = await handle.db
      .selectFrom("intents")
      .select("id")
      .where("vault_id", "=", vaultId)
      .where("active", "=", 1)
      .execute();
    for (const { id } of rows) {
      const record = await getIntent(handle.db, id);
      if (record !== null) await commitTransition(handle.db, record, [abort], new Date());
    }
  };

  withTestDatabase(dialect, (opened) => {
    handle = opened;
  });

  it("creates every intent of a batch with its first event, at consecutive positions, each chain from genesis", async () => {
    const before = await headPosition(handle.db);
    const requests = Array.from({ length: 5 }, () => fresh());
    const outcomes = await insertIntentBatch(handle.db, requests, null);
    const created = committed(outcomes);
    expect(created).toHaveLength(5);
    expect(created.map((c) => c.events[0]?.position)).toEqual([1, 2, 3, 4, 5].map((i) => before + i));
    expect(await headPosition(handle.db)).toBe(before + 5);
    for (const [index, { record, events }] of created.entries()) {
      expect(record.config_hash).toBe(requests[index]?.payload.config_hash);
      const [stored] = await listEvents(handle.db, record.id, 0, 10);
      expect(stored).toMatchObject({ message_type: "INTENT_RECEIVED", seq_num: 1, position: events[0]?.position });
      if (stored === undefined) throw new Error("unreachable");
      expect(stored.hash).toBe(eventHash(GENESIS_HASH, { ...stored, position: Number(stored.position) }));
      expect(stored.hash).toBe(events[0]?.hash);
      // What was stored reads back as what the submit answered (PostgreSQL sends the rows as JSON).
      expect({ ...stored, position: Number(stored.position) }).toEqual(events[0]);
      expect(await getIntent(handle.db, record.id)).toEqual(record);
    }
  });

  it("creates one intent for identical submits in a batch and answers a live intent's duplicate as such", async () => {
    const live = fresh();
    const [first] = await insertIntentBatch(handle.db, [live, fresh()], null);
    expect(typeof first).toBe("object");
    const same = fresh();
    const outcomes = await insertIntentBatch(handle.db, [same, { ...same, at: new Date() }, live, fresh()], null);
    expect(outcomes.map((o) => (typeof o === "object" ? "created" : o))).toEqual([
      "created",
      "duplicate",
      "duplicate",
      "created",
    ]);
  });

  it("holds each vault to its bound, exactly, and leaves other vaults alone", async () => {
    const vault = `31337:0x${"cd".repeat(20)}`;
    await insertIntentBatch(handle.db, [fresh({ vault_id: vault })], 3);
    const outcomes = await insertIntentBatch(
      handle.db,
      [
        fresh({ vault_id: vault }),
        fresh({ vault_id: OTHER_VAULT }),
        fresh({ vault_id: vault }),
        fresh({ vault_id: vault }),
        fresh({ vault_id: vault }),
      ],
      3,
    );
    expect(outcomes.map((o) => (typeof o === "object" ? "created" : o))).toEqual([
      "created",
      "created",
      "created",
      "full",
      "full",
    ]);
    expect(await liveIn(vault)).toBe(3);
    // Full vault: nothing is written, not even positions.
    const head = await headPosition(handle.db);
    expect(await insertIntentBatch(handle.db, [fresh({ vault_id: vault }), fresh({ vault_id: vault })], 3)).toEqual([
      "full",
      "full",
    ]);
    expect(await headPosition(handle.db)).toBe(head);
    await finishAll(vault);
  });

  it("asks again (retry) when a duplicate of the batch took the place an intent was refused for", async () => {
    const vault = `31337:0x${"ef".repeat(20)}`;
    const live = fresh({ vault_id: vault });
    await insertIntentBatch(handle.db, [live], 2);
    // One live of 2: the duplicate is counted first, so the new one finds no place, yet one is left.
    const outcomes = await insertIntentBatch(handle.db, [{ ...live, at: new Date() }, fresh({ vault_id: vault })], 2);
    expect(outcomes).toEqual(["duplicate", "retry"]);
    expect(await liveIn(vault)).toBe(1);
    await finishAll(vault);
  });
});
