import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Db } from "../store/db";
import { DIALECTS, type TestDatabase, withTwoHandles } from "../store/test-support/databases";
import { actionHash } from "./action-chain";
import { type NewAction, sessionKeyRepository } from "./repository";
import { sessionKeyDb } from "./schema";

const VAULTS = ["31337:0x00000000000000000000000000000000000000a1", "31337:0x00000000000000000000000000000000000000a2"];
const action = (vault_id: string, i: number): NewAction => ({
  vault_id,
  type: "PREPARED",
  session_key_address: `0x${i.toString(16).padStart(40, "0")}`,
  actor: null,
  expires_at: null,
  created_at: new Date().toISOString(),
  chain_block: String(i),
  chain_timestamp: String(1_700_000_000 + i),
});

/** Vaults whose stored session-key history does not recompute as one chain 1..N. */
async function brokenVaults(handle: Db): Promise<string[]> {
  const rows = await sessionKeyDb(handle.db)
    .selectFrom("session_key_actions")
    .selectAll()
    .orderBy("vault_id")
    .orderBy("seq")
    .execute();
  const broken = new Set<string>();
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const row of rows) {
    const head = heads.get(row.vault_id) ?? { seq: 0, hash: GENESIS_HASH };
    if (row.seq !== head.seq + 1 || row.hash !== actionHash(head.hash, row, head.seq + 1)) broken.add(row.vault_id);
    heads.set(row.vault_id, { seq: row.seq ?? 0, hash: row.hash ?? "" });
  }
  return [...broken];
}

describe.each(DIALECTS)("session-key history chain on %s", (dialect) => {
  let testDb: TestDatabase;
  let first: Db;
  let second: Db;
  withTwoHandles(dialect, (handles) => {
    ({ testDb, first, second } = handles);
  });

  it("chains concurrent appends from two pools per vault, 1..N with no fork", async () => {
    const repos = [first, second].map((handle) => sessionKeyRepository(sessionKeyDb(handle.db)));
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => repos[i % 2]?.addAction(action(VAULTS[i % 3 === 0 ? 1 : 0] ?? "", i))),
    );
    const counts = await sessionKeyDb(first.db)
      .selectFrom("session_key_actions")
      .select(["vault_id", (eb) => eb.fn.max("seq").as("last")])
      .groupBy("vault_id")
      .orderBy("vault_id")
      .execute();
    expect(counts.map((row) => Number(row.last))).toEqual([16, 8]);
    expect(await brokenVaults(first)).toEqual([]);
    const row = await sessionKeyDb(first.db)
      .selectFrom("session_key_actions")
      .selectAll()
      .where("seq", "=", 3)
      .executeTakeFirstOrThrow();
    await sessionKeyDb(first.db)
      .updateTable("session_key_actions")
      .set({ chain_block: "999" })
      .where("id", "=", row.id)
      .execute();
    expect(await brokenVaults(first)).toEqual([row.vault_id]);
    await sessionKeyDb(first.db)
      .updateTable("session_key_actions")
      .set({ chain_block: row.chain_block })
      .where("id", "=", row.id)
      .execute();
  });

  it("the migration chains existing history in (created_at, id) order: as appends did when they came in that order", async () => {
    const vault = "31337:0x00000000000000000000000000000000000000a3";
    const repo = sessionKeyRepository(sessionKeyDb(first.db));
    for (let i = 0; i < 5; i++) {
      await repo.addAction({ ...action(vault, i), created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() });
    }
    const ofVault = (handle: Db) =>
      sessionKeyDb(handle.db)
        .selectFrom("session_key_actions")
        .select(["id", "seq", "hash"])
        .where("vault_id", "=", vault)
        .orderBy("seq")
        .execute();
    const before = await ofVault(first);
    await sql`drop index session_key_actions_chain`.execute(first.db);
    await sql`alter table session_key_actions drop column seq`.execute(first.db);
    await sql`alter table session_key_actions drop column hash`.execute(first.db);
    await sql`delete from oms_migrations where name = '007_session_key_action_chain'`.execute(first.db);
    const migrated = await testDb.open();
    expect(await ofVault(migrated)).toEqual(before);
    await sessionKeyRepository(sessionKeyDb(migrated.db)).addAction(action(vault, 99));
    expect(await brokenVaults(migrated)).toEqual([]);
  });
});
