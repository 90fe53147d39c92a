import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ListIntentsQuery } from "../../lib/defix";
import type { Db } from "./db";
import { applyPageVisibility, computeFacets, createFacetCache, type FacetKey } from "./facets";
import { insertIntent } from "./intent-batch";
import { commitTransition } from "./intents-repo";
import { applyFilters, listIntents } from "./list-repo";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

const VAULTS = ["31337:0x00000000000000000000000000000000000000a1", "31337:0x00000000000000000000000000000000000000a2"];
const abort = { message_type: "INTENT_ABORTED", payload: { error: { code: "X", message: "x" } } } as const;

interface Row {
  vault_id: string;
  action: string;
  strategy_id: string | null;
  state: string;
}

/** The definition, spelled out: per key, count rows passing every filter except the key's own. */
function expectedFacets(rows: readonly Row[], filters: Partial<ListIntentsQuery>, visible: readonly string[]) {
  const keys: FacetKey[] = ["state", "action", "vault_id", "strategy_id"];
  const states: readonly string[] | undefined = filters.state === undefined ? undefined : [filters.state].flat();
  return Object.fromEntries(
    keys.map((key) => {
      const counts: Record<string, number> = {};
      for (const row of rows) {
        if (!visible.includes(row.vault_id)) continue;
        if (key !== "vault_id" && filters.vault_id !== undefined && row.vault_id !== filters.vault_id) continue;
        if (key !== "action" && filters.action !== undefined && row.action !== filters.action) continue;
        if (key !== "strategy_id" && filters.strategy_id !== undefined && row.strategy_id !== filters.strategy_id)
          continue;
        if (key !== "state" && states !== undefined && !states.includes(row.state)) continue;
        const value = row[key];
        if (value !== null) counts[value] = (counts[value] ?? 0) + 1;
      }
      return [key, counts];
    }),
  );
}

describe.each(DIALECTS)("facets on %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: Db;
  const rows: Row[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    handle = await testDb.open();
    for (let i = 0; i < 24; i++) {
      const row: Row = {
        vault_id: VAULTS[i % 2] ?? "",
        action: i % 3 === 0 ? "WITHDRAWAL" : "DEPOSIT",
        strategy_id: i % 4 === 0 ? null : `s-${i % 3}`,
        state: i % 5 === 0 ? "ABORTED" : "RECEIVED",
      };
      const payload = receivedPayload({
        vault_id: row.vault_id,
        action: row.action as "DEPOSIT",
        strategy_id: row.strategy_id,
        config_hash: `0x${String(i).padStart(64, "5")}`,
      });
      const created = await insertIntent(handle.db, payload, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
      if (created === null) throw new Error("not created");
      if (row.state === "ABORTED") await commitTransition(handle.db, created.record, [abort], new Date());
      rows.push(row);
    }
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  async function queryPlan(query: CompiledQuery): Promise<string> {
    const explain = CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]);
    const result = await handle.db.executeQuery<{ detail: string }>(explain);
    return result.rows.map((row) => row.detail).join("\n");
  }

  const cases: Partial<ListIntentsQuery>[] = [
    {},
    { vault_id: VAULTS[0] },
    { state: "RECEIVED", action: "DEPOSIT" },
    { state: ["RECEIVED", "ABORTED"], strategy_id: "s-1", vault_id: VAULTS[1] },
  ];

  it.each(cases)("counts each dimension under every other filter (%j)", async (filters) => {
    const query = { limit: 50, ...filters } as ListIntentsQuery;
    expect(await computeFacets(handle.db, query, VAULTS)).toEqual(expectedFacets(rows, filters, VAULTS));
    expect(await computeFacets(handle.db, query, [VAULTS[0] ?? ""])).toEqual(
      expectedFacets(rows, filters, [VAULTS[0] ?? ""]),
    );
  });

  it("the cache serves repeats and recounts after invalidate or its TTL", async () => {
    let now = 0;
    const cache = createFacetCache({ ttlMs: 1_000, now: () => now });
    const query = { limit: 50 } as ListIntentsQuery;
    const before = await cache.get(handle.db, query, VAULTS);
    const extra = receivedPayload({ vault_id: VAULTS[0], config_hash: `0x${"66".repeat(32)}` });
    await insertIntent(handle.db, extra, new Date(Date.UTC(2026, 0, 2)));
    expect(await cache.get(handle.db, { ...query, limit: 10 }, VAULTS)).toEqual(before);
    now += 1_000;
    const afterTtl = await cache.get(handle.db, query, VAULTS);
    expect(afterTtl.vault_id[VAULTS[0] ?? ""]).toBe((before.vault_id[VAULTS[0] ?? ""] ?? 0) + 1);
    await insertIntent(
      handle.db,
      receivedPayload({ vault_id: VAULTS[0], config_hash: `0x${"67".repeat(32)}` }),
      new Date(Date.UTC(2026, 0, 2)),
    );
    cache.invalidate();
    const afterInvalidate = await cache.get(handle.db, query, VAULTS);
    expect(afterInvalidate.vault_id[VAULTS[0] ?? ""]).toBe((before.vault_id[VAULTS[0] ?? ""] ?? 0) + 2);
  });

  it.runIf(dialect === "sqlite")("a page over several vaults walks the list index instead of sorting", async () => {
    const query = { limit: 50, cursor: Buffer.from("2026-01-01T00:00:10.000Z|z").toString("base64url") };
    const page = applyPageVisibility(handle.db.selectFrom("intents"), query, VAULTS)
      .where(sql<boolean>`(created_at, id) < (${"2026-01-01T00:00:10.000Z"}, ${"z"})`)
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(51)
      .compile();
    const details = await queryPlan(page);
    expect(details).toMatch(/USING INDEX intents_list/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });

  it.runIf(dialect === "postgres")("a page over several vaults keeps a plain IN, which PostgreSQL can estimate", () => {
    const page = applyPageVisibility(handle.db.selectFrom("intents"), { limit: 50 }, VAULTS, "postgres")
      .selectAll()
      .compile();
    expect(page.sql).toMatch(/"vault_id" in \(/);
    expect(page.sql).not.toContain("||");
  });

  it.runIf(dialect === "sqlite")("a page of live states walks the live intents' index, not every intent", async () => {
    for (const filters of [{ state: "RECEIVED" }, { status: "Processing" }] as const) {
      const query = { limit: 50, ...filters } as ListIntentsQuery;
      const page = applyFilters(handle.db.selectFrom("intents"), query, VAULTS, "sqlite")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(51)
        .compile();
      expect(await queryPlan(page)).toMatch(/INDEX intents_(live_list|due)/);
    }
    // The same rows as the state filter alone selects.
    const stored = await handle.db
      .selectFrom("intents")
      .select(["id", "state"])
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    const ids = (states: readonly string[]) => stored.filter((row) => states.includes(row.state)).map((row) => row.id);
    const live = await listIntents(handle.db, { limit: 50, state: "RECEIVED" }, VAULTS);
    expect(live.data.map((intent) => intent.id)).toEqual(ids(["RECEIVED"]));
    const mixed = await listIntents(handle.db, { limit: 50, state: ["RECEIVED", "ABORTED"] }, VAULTS);
    expect(mixed.data.map((intent) => intent.id)).toEqual(ids(["RECEIVED", "ABORTED"]));
  });

  it.runIf(dialect === "sqlite")("facet counts read only the facets index", async () => {
    const compiled = handle.db
      .selectFrom("intents")
      .where("vault_id", "in", VAULTS)
      .select((eb) => ["state", "action", "vault_id", "strategy_id", eb.fn.countAll().as("count")])
      .groupBy(["state", "action", "vault_id", "strategy_id"])
      .compile();
    expect(compiled.sql).toContain("group by");
    expect(await queryPlan(compiled)).toMatch(/COVERING INDEX intents_facets/);
  });
});
