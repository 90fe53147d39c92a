import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOmsDb } from "../migrations";
import type { Db } from "./db";
import { insertIntent } from "./intent-batch";
import { getIntent } from "./intents-repo";
import { getIntentView } from "./list-repo";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

describe.each(DIALECTS)("GET /defix/intents/{id}'s read on %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: Db;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    await (await testDb.open()).close();
    // One connection, so the prepared statement this read leaves behind is visible to the next query.
    handle = await createOmsDb({ databaseUrl: testDb.databaseUrl, sqlitePath: testDb.sqlitePath, poolSize: 1 });
  });
  afterAll(async () => {
    await handle.close();
    await testDb.destroy();
  });

  it("answers the intent as written, each time, and null for an unknown id", async () => {
    const created = await insertIntent(handle.db, receivedPayload({ config_hash: `0x${"71".repeat(32)}` }), new Date());
    if (created === null) throw new Error("not inserted");
    const record = await getIntent(handle.db, created.record.id);
    const { auth_signing: _a, plan: _p, signer: _s, execution_id: _e, waiting_reason: _w, ...wire } = record ?? {};
    for (let i = 0; i < 3; i++) expect(await getIntentView(handle.db, created.record.id)).toEqual(wire);
    expect(await getIntentView(handle.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it.runIf(dialect === "postgres")("runs as a named prepared statement on PostgreSQL", async () => {
    await getIntentView(handle.db, "00000000-0000-4000-8000-000000000000");
    const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(handle.db);
    expect(rows.map((row) => row.name)).toContain("intent_view_by_id");
  });
});
