import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOmsDb, migrations } from "../migrations";
import { createDb } from "./db";
import { insertIntent } from "./intent-batch";
import { headPosition } from "./positions";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

const before003 = migrations.filter((migration) => migration.name !== "003_event_position");

function intentRow(id: string, createdAt: string) {
  return {
    id,
    approval_status: "not_required",
    vault_id: "31337:0x00000000000000000000000000000000000000aa",
    strategy_id: null,
    action: "DEPOSIT",
    objective: "BALANCED",
    account_mode: "OMS",
    action_config: "{}",
    auth_signing: "{}",
    state: "RECEIVED",
    seq_num: 2,
    config_hash: `0x${id.padStart(64, "0")}`,
    size: null,
    deadline: createdAt,
    created_at: createdAt,
    updated_at: createdAt,
    state_entered_at: createdAt,
    submitted_by: "0x00000000000000000000000000000000000000ff",
    active: 0,
    next_attempt_at: createdAt,
  };
}

describe.each(DIALECTS)("migration 003_event_position on %s", (dialect) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("numbers existing events by (created_at, intent_id, seq_num) and continues after them", async () => {
    const old = await createDb({
      databaseUrl: testDb.databaseUrl,
      sqlitePath: testDb.sqlitePath,
      migrations: before003,
    });
    const t1 = "2026-01-01T00:00:01.000Z";
    const t2 = "2026-01-01T00:00:02.000Z";
    await old.db
      .insertInto("intents")
      .values([intentRow("b", t1), intentRow("a", t1)])
      .execute();
    const event = (intent: string, seq: number, at: string) => ({
      event_id: `${intent}-${seq}`,
      intent_id: intent,
      execution_id: null,
      message_type: "INTENT_RECEIVED",
      seq_num: seq,
      payload: "{}",
      created_at: at,
    });
    // Inserted out of order: the numbering follows time, then intent, then sequence.
    await old.db
      .insertInto("intent_events")
      .values([event("b", 2, t2), event("b", 1, t1), event("a", 2, t2), event("a", 1, t1)])
      .execute();
    await old.close();

    const migrated = await createOmsDb({ databaseUrl: testDb.databaseUrl, sqlitePath: testDb.sqlitePath });
    const rows = await migrated.db
      .selectFrom("intent_events")
      .select(["event_id", "position"])
      .orderBy("position")
      .execute();
    expect(rows.map((row) => [row.event_id, Number(row.position)])).toEqual([
      ["a-1", 1],
      ["b-1", 2],
      ["a-2", 3],
      ["b-2", 4],
    ]);
    expect(await headPosition(migrated.db)).toBe(4);
    const created = await insertIntent(migrated.db, receivedPayload(), new Date());
    expect(created?.events[0]?.position).toBe(5);
    await migrated.close();
  });
});
