import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainEvents, GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Db } from "./db";
import { StaleIntentError } from "./errors";
import { insertIntent, insertIntentBatch } from "./intent-batch";
import { commitSteps, commitTransition, type Tx } from "./intents-repo";
import { rowToEvent, rowToRecord } from "./rows";
import { createTestDatabase, DIALECTS, type TestDatabase, withTwoHandles } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

const ack = { message_type: "INTENT_ACKED" as const, payload: { root: "0x", hooks: [] } };
const waiting = { message_type: "WAITING" as const, payload: { reason: "SESSION_KEY_NOT_READY", message: "no key" } };

let keys = 0;
const nextPayload = () => receivedPayload({ config_hash: `0x${(++keys).toString(16).padStart(64, "0")}` });

/** Every intent's stored hashes, recomputed from its stored events: returns the intents whose chain breaks. */
async function brokenChains(handle: Db): Promise<string[]> {
  const rows = await handle.db
    .selectFrom("intent_events")
    .selectAll()
    .orderBy("intent_id")
    .orderBy("seq_num")
    .execute();
  const byIntent = new Map<string, typeof rows>();
  for (const row of rows) byIntent.set(row.intent_id, [...(byIntent.get(row.intent_id) ?? []), row]);
  const broken: string[] = [];
  for (const [intent, list] of byIntent) {
    const events = list.map((row) => ({ ...rowToEvent(row), position: Number(row.position) }));
    const expected = chainEvents(GENESIS_HASH, events).map((event) => event.hash);
    if (list.some((row, i) => row.hash !== expected[i] || row.seq_num !== i + 1)) broken.push(intent);
  }
  return broken;
}

describe.each(DIALECTS)("audit chain on %s", (dialect) => {
  let first: Db;
  let second: Db;

  withTwoHandles(dialect, (handles) => {
    ({ first, second } = handles);
  });

  it("hashes every append path, and the hashes it returns are the stored ones", async () => {
    const created = await insertIntent(first.db, nextPayload(), new Date());
    const [bounded] = await insertIntentBatch(first.db, [{ payload: nextPayload(), at: new Date() }], 100);
    if (created === null || typeof bounded !== "object") throw new Error("not created");
    const acked = await commitTransition(first.db, created.record, [ack], new Date());
    const steps = await commitSteps(first.db, acked.record, [{ at: new Date(), events: [waiting, waiting] }]);
    const written = await commitSteps(first.db, steps.record, [
      { at: new Date(), events: [waiting], write: async () => undefined },
    ]);
    const returned = [...created.events, ...acked.events, ...steps.events, ...written.events, ...bounded.events];
    expect(returned.every((event) => /^[0-9a-f]{64}$/.test(event.hash ?? ""))).toBe(true);
    const stored = await first.db.selectFrom("intent_events").select(["event_id", "hash"]).execute();
    const byId = new Map(stored.map((row) => [row.event_id, row.hash]));
    expect(returned.map((event) => byId.get(event.event_id))).toEqual(returned.map((event) => event.hash));
    expect(await brokenChains(first)).toEqual([]);
  });

  it("keeps one unforked chain per intent under concurrent appends from two pools", async () => {
    const created = await Promise.all(
      Array.from({ length: 4 }, () => insertIntent(first.db, nextPayload(), new Date())),
    );
    // Racers read the same head and append on it: exactly one wins each round, the others are stale.
    // Every third round also writes a row elsewhere in the same commit (the transaction path): a stale
    // committer's row must be rolled back with its events, so the marker rows count the wins exactly.
    let wins = 0;
    const race = async (handle: Db, id: string) => {
      for (let round = 0; round < 6; round++) {
        const row = await handle.db.selectFrom("intents").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
        const current = rowToRecord(row);
        const withWrite = round % 3 === 2;
        const write = async (trx: Tx) => {
          const at = new Date().toISOString();
          await trx
            .insertInto("signer_nonces")
            .values({ chain_id: 1, signer: randomUUID(), next_nonce: 0, updated_at: at })
            .execute();
        };
        try {
          await commitSteps(handle.db, current, [
            {
              at: new Date(),
              events: round % 2 ? [waiting, waiting] : [waiting],
              write: withWrite ? write : undefined,
            },
          ]);
          if (withWrite) wins += 1;
        } catch (error) {
          if (!(error instanceof StaleIntentError)) throw error;
        }
      }
    };
    await Promise.all(
      created.flatMap((c) => {
        const id = c?.record.id ?? "";
        return [race(first, id), race(second, id), race(first, id), race(second, id)];
      }),
    );
    expect(await brokenChains(first)).toEqual([]);
    const markers = (await first.db.selectFrom("signer_nonces").select("signer").where("chain_id", "=", 1).execute())
      .length;
    expect(wins).toBeGreaterThan(0);
    expect(markers).toBe(wins);
  });

  it("a stored byte changed is a broken chain", async () => {
    const row = await first.db
      .selectFrom("intent_events")
      .selectAll()
      .where("seq_num", "=", 2)
      .executeTakeFirstOrThrow();
    const flipped = row.payload.replace("o", "p");
    await first.db
      .updateTable("intent_events")
      .set({ payload: flipped })
      .where("event_id", "=", row.event_id)
      .execute();
    expect(await brokenChains(first)).toEqual([row.intent_id]);
    await first.db
      .updateTable("intent_events")
      .set({ payload: row.payload })
      .where("event_id", "=", row.event_id)
      .execute();
    expect(await brokenChains(first)).toEqual([]);
  });
});

describe.each(DIALECTS)("migration 006_event_hashes on %s", (dialect) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("hashes existing events exactly as their appends did, and later appends link to them", async () => {
    const handle = await testDb.open();
    const created = await insertIntent(handle.db, nextPayload(), new Date());
    if (created === null) throw new Error("not created");
    const acked = await commitTransition(handle.db, created.record, [ack], new Date());
    const steps = await commitSteps(handle.db, acked.record, [{ at: new Date(), events: [waiting, waiting] }]);
    const appended = await handle.db
      .selectFrom("intent_events")
      .select(["event_id", "hash"])
      .orderBy("position")
      .execute();
    // Back to a database from before the migration: no column, migration not recorded.
    await sql`alter table intent_events drop column hash`.execute(handle.db);
    await sql`delete from oms_migrations where name = '006_event_hashes'`.execute(handle.db);
    const migrated = await testDb.open();
    const rows = await migrated.db
      .selectFrom("intent_events")
      .select(["event_id", "hash"])
      .orderBy("position")
      .execute();
    expect(rows).toEqual(appended);
    const next = await commitTransition(migrated.db, steps.record, [waiting], new Date());
    expect(next.events[0]?.seq_num).toBe(5);
    expect(await brokenChains(migrated)).toEqual([]);
  });
});
