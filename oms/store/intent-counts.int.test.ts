import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReceivedPayload } from "../../lib/defix";
import type { NewEvent } from "../domain/new-event";
import type { IntentRecord } from "../domain/record";
import { createOmsDb, migrations } from "../migrations";
import { createDb, type Db } from "./db";
import { insertIntent, insertIntentBatch } from "./intent-batch";
import { commitSteps, commitTransition } from "./intents-repo";
import { createTestDatabase, DIALECTS, openTwoHandles, type TestDatabase } from "./test-support/databases";
import { receivedPayload } from "./test-support/fixtures";

const VAULTS = ["31337:0x00000000000000000000000000000000000000a1", "31337:0x00000000000000000000000000000000000000a2"];
const KEY = `0x${"0b".repeat(20)}`;
const TX = `0x${"ab".repeat(32)}`;
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
const error = { error: { code: "X", message: "x" } };
/** One event per step of the lifecycle, each moving the intent to its next state. */
const STEP = {
  ACKED: { message_type: "INTENT_ACKED", payload: { root: "0x", hooks: [] } },
  STAGED: { message_type: "INTENT_STAGED", payload: { session_key_address: KEY } },
  PLANNED: { message_type: "INTENT_PLANNED", payload: { plan } },
  EXECUTING: {
    message_type: "INTENT_EXECUTING",
    payload: { tx_hash: TX, nonce: 0, signer: KEY, max_fee_per_gas: "1", max_priority_fee_per_gas: "1" },
  },
  COMPLETED: { message_type: "INTENT_COMPLETED", payload: { tx_hash: TX, gas_used: 1 } },
  FAILED: { message_type: "INTENT_FAILED", payload: error },
  ABORTED: { message_type: "INTENT_ABORTED", payload: error },
  EXPIRED: { message_type: "INTENT_EXPIRED", payload: error },
  CANCELED: { message_type: "INTENT_CANCELED", payload: error },
} satisfies Record<string, NewEvent>;

/** Every path through the lifecycle, so each transition is taken at least once. */
const PATHS: ReadonlyArray<ReadonlyArray<keyof typeof STEP>> = [
  ["ACKED", "STAGED", "PLANNED", "EXECUTING", "COMPLETED"],
  ["ACKED", "STAGED", "PLANNED", "EXECUTING", "FAILED"],
  ["ACKED", "STAGED", "PLANNED", "ABORTED"],
  ["ACKED", "STAGED", "FAILED"],
  ["ACKED", "EXPIRED"],
  ["CANCELED"],
  ["ACKED", "STAGED", "PLANNED", "CANCELED"],
];

type Counts = Record<string, number>;
const keyOf = (row: { vault_id: string; strategy_id: string | null; action: string; state: string }) =>
  `${row.vault_id}|${row.strategy_id ?? ""}|${row.action}|${row.state}`;

/** What the triggers keep, as the facets read it (rows at zero are no combination). */
async function kept(handle: Db): Promise<Counts> {
  const rows = await handle.db.selectFrom("intent_counts").selectAll().where("n", "<>", 0).execute();
  return Object.fromEntries(rows.map((row) => [keyOf(row), Number(row.n)]));
}

/** The truth: a GROUP BY over the intents themselves. */
async function grouped(handle: Db): Promise<Counts> {
  const rows = await handle.db
    .selectFrom("intents")
    .select((eb) => ["vault_id", "strategy_id", "action", "state", eb.fn.countAll().as("n")])
    .groupBy(["vault_id", "strategy_id", "action", "state"])
    .execute();
  return Object.fromEntries(rows.map((row) => [keyOf(row), Number(row.n)]));
}

let configs = 0;
function payload(i: number): ReceivedPayload {
  return receivedPayload({
    vault_id: VAULTS[i % 2],
    strategy_id: i % 3 === 0 ? null : `s-${i % 3}`,
    action: i % 4 === 0 ? "WITHDRAWAL" : "DEPOSIT",
    config_hash: `0x${String(++configs).padStart(64, "0")}`,
  } as Partial<ReceivedPayload>);
}

async function created(handle: Db, i: number): Promise<IntentRecord> {
  const result = await insertIntent(handle.db, payload(i), new Date());
  if (result === null) throw new Error("not created");
  return result.record;
}

describe.each(DIALECTS)("intent counts on %s", (dialect) => {
  let testDb: TestDatabase;
  let handle: Db;
  let second: Db;

  beforeAll(async () => {
    const opened = await openTwoHandles(dialect);
    testDb = opened.testDb;
    handle = opened.first;
    second = opened.second;
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("equal a GROUP BY over intents after inserts and after every state transition", async () => {
    for (const [i, path] of PATHS.entries()) {
      let intent = await created(handle, i);
      expect(await kept(handle)).toEqual(await grouped(handle));
      for (const state of path) {
        const step: NewEvent = STEP[state];
        // Both write paths: known events (one statement on PostgreSQL) and steps with writes (a transaction).
        intent =
          i % 2 === 0
            ? (await commitTransition(handle.db, intent, [step], new Date())).record
            : (await commitSteps(handle.db, intent, [{ at: new Date(), events: async () => [step] }])).record;
        expect(intent.state).toBe(state);
        expect(await kept(handle)).toEqual(await grouped(handle));
      }
    }
    const [bounded] = await insertIntentBatch(handle.db, [{ payload: payload(3), at: new Date() }], 1_000);
    expect(typeof bounded).toBe("object");
    // A live duplicate inserts nothing, and counts nothing.
    const duplicate = payload(5);
    await insertIntent(handle.db, duplicate, new Date());
    expect(await insertIntent(handle.db, duplicate, new Date())).toBeNull();
    expect(await insertIntentBatch(handle.db, [{ payload: duplicate, at: new Date() }], 1_000)).toEqual(["duplicate"]);
    expect(await kept(handle)).toEqual(await grouped(handle));
  });

  it("equal a GROUP BY after concurrent writers, from two handles, including stale losers", async () => {
    const intents = await Promise.all(Array.from({ length: 24 }, (_, i) => created(i % 2 ? second : handle, i)));
    const racers = intents.flatMap((intent, i) => [
      commitTransition(handle.db, intent, [STEP.ACKED], new Date()),
      commitTransition(second.db, intent, [i % 3 ? STEP.CANCELED : STEP.EXPIRED], new Date()),
      insertIntent((i % 2 ? handle : second).db, payload(i + 100), new Date()),
    ]);
    const settled = await Promise.allSettled(racers);
    // Per intent one of the two transitions won; the other was stale and wrote nothing.
    expect(settled.filter((result) => result.status === "fulfilled")).toHaveLength(24 * 2);
    expect(await kept(handle)).toEqual(await grouped(handle));
  });

  it("count nothing for a transaction that rolls back", async () => {
    const before = await kept(handle);
    const intent = await created(handle, 7);
    const afterInsert = await kept(handle);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await trx.updateTable("intents").set({ state: "FAILED" }).where("id", "=", intent.id).execute();
        await trx
          .insertInto("intents")
          .values({
            ...(await trx.selectFrom("intents").selectAll().where("id", "=", intent.id).executeTakeFirstOrThrow()),
            id: "rolled-back",
            active: 0,
          })
          .execute();
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    // A step whose write fails after its events were prepared rolls back the projection too.
    await expect(
      commitSteps(handle.db, intent, [
        {
          at: new Date(),
          events: [STEP.ACKED],
          write: async () => {
            throw new Error("write failed");
          },
        },
      ]),
    ).rejects.toThrow("write failed");
    expect(await kept(handle)).toEqual(afterInsert);
    expect(await kept(handle)).not.toEqual(before);
    expect(await kept(handle)).toEqual(await grouped(handle));
  });
});

describe.each(DIALECTS)("migration 011_intent_counts on %s", (dialect) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await testDb.destroy();
  });

  it("backfills the intents that exist, then keeps counting", async () => {
    const old = await createDb({
      databaseUrl: testDb.databaseUrl,
      sqlitePath: testDb.sqlitePath,
      migrations: migrations.filter((migration) => migration.name !== "011_intent_counts"),
    });
    for (let i = 0; i < 9; i++) await insertIntent(old.db, payload(i), new Date());
    await old.close();
    const handle = await createOmsDb({ databaseUrl: testDb.databaseUrl, sqlitePath: testDb.sqlitePath });
    try {
      const truth = await grouped(handle);
      expect(Object.values(truth).reduce((sum, n) => sum + n, 0)).toBe(9);
      expect(await kept(handle)).toEqual(truth);
      await created(handle, 10);
      expect(await kept(handle)).toEqual(await grouped(handle));
    } finally {
      await handle.close();
    }
  });
});
