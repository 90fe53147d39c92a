import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Intent, IntentList, ListIntentsQuery } from "../../lib/defix";
import { submission } from "../domain/test-support/intents";
import { FakeChain } from "../engine/test-support/fake-chain";
import { fakeManifest, switchableKeys } from "../engine/test-support/fake-world";
import { pgListener } from "../kernel/pg-listen";
import type { Db } from "../store/db";
import { POSITION_CHANNEL } from "../store/positions";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import { createIntentService, type IntentCore } from "./intent-service";

const silent = { warn: () => undefined, error: () => undefined };
const manifest = fakeManifest();
const vault = manifest.vaults[0] ?? (undefined as never);
const actor = { subject: "test", kind: "service" } as const;
const firstPage: ListIntentsQuery = { limit: 50 };
let variant = 0;

/** An OMS process's intent core: only the event bus tells it about the other process's commits. */
function serviceOn(db: Db, databaseUrl: string | undefined): IntentCore {
  return createIntentService({
    db: db.db,
    chain: new FakeChain(vault.merkle.root, manifest.contracts.hooks.deposit4626),
    manifest,
    keys: switchableKeys(),
    log: silent,
    // No safety tick: a cross-process change must arrive through the NOTIFY-driven bus read, or not at all.
    foreignEventPollMs: null,
    foreignEventWakeups: databaseUrl
      ? pgListener({ connectionString: databaseUrl, channel: POSITION_CHANNEL, log: silent })
      : undefined,
    // Hour-long facet reuse: only the invalidation can refresh a page's counts.
    facetCacheMs: 3_600_000,
  });
}

async function submit(core: IntentCore): Promise<string> {
  variant++;
  const request = submission(manifest, vault, { action: "DEPOSIT", sizeExpr: String(5000 + variant) });
  return (await core.submit({ ...request, strategy_id: `reads-${variant}` }, actor)).intent.id;
}

async function cachedIntent(core: IntentCore, id: string): Promise<Intent> {
  const read = await core.getSerialized(id);
  if (read === null) throw new Error(`intent ${id} not found`);
  return JSON.parse(read.body.toString("utf8")) as Intent;
}

const cachedPage = async (core: IntentCore): Promise<IntentList> =>
  JSON.parse((await core.listSerialized(firstPage, "all")).toString("utf8")) as IntentList;

async function eventually<T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Until the bus has read the head (before that the caches store nothing), so the tests read cached answers. */
const listening = (core: IntentCore) =>
  eventually(
    async () => {
      await cachedIntent(core, await submit(core));
      return core.readCacheStats().intents.entries;
    },
    (entries) => entries > 0,
    "the bus to listen",
  );

describe.each(DIALECTS)("read caches on %s, one process", (dialect) => {
  let testDb: TestDatabase;
  let core: IntentCore;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    core = serviceOn(await testDb.open(), undefined);
    await listening(core);
  });
  afterAll(async () => {
    await core.close();
    await testDb.destroy();
  });

  it("answers this process's own commit at once, by id and on the first page with its counts", async () => {
    const id = await submit(core);
    expect((await cachedIntent(core, id)).state).toBe("RECEIVED");
    const before = await cachedPage(core);
    expect(before.data[0]?.id).toBe(id);
    await core.cancel(id, actor);
    expect((await cachedIntent(core, id)).state).toBe("CANCELED");
    const after = await cachedPage(core);
    expect(after.data[0]?.state).toBe("CANCELED");
    expect(after.facets.state.CANCELED ?? 0).toBe((before.facets.state.CANCELED ?? 0) + 1);
    const next = await submit(core);
    expect((await cachedPage(core)).data[0]?.id).toBe(next);
  });
});

describe("read caches across two OMS processes on one PostgreSQL database", () => {
  let testDb: TestDatabase;
  let reader: IntentCore;
  let writer: IntentCore;
  beforeAll(async () => {
    testDb = await createTestDatabase("postgres");
    reader = serviceOn(await testDb.open(), testDb.databaseUrl);
    writer = serviceOn(await testDb.open(), testDb.databaseUrl);
    await listening(reader);
  });
  afterAll(async () => {
    await reader.close();
    await writer.close();
    await testDb.destroy();
  });

  it("drops an intent and the first page when the other process commits, as its event bus hears it", async () => {
    const id = await submit(writer);
    // Cached in the reader: it may only change through the bus from here on.
    expect((await cachedIntent(reader, id)).state).toBe("RECEIVED");
    expect((await cachedIntent(reader, id)).state).toBe("RECEIVED");
    const before = await cachedPage(reader);
    expect(before.data[0]).toMatchObject({ id, state: "RECEIVED" });

    await writer.cancel(id, actor);
    const canceled = await eventually(
      () => cachedIntent(reader, id),
      (intent) => intent.state === "CANCELED",
      "the other process's cancel by id",
    );
    expect(canceled.seq_num).toBeGreaterThan(1);
    const page = await eventually(
      () => cachedPage(reader),
      (list) => list.data[0]?.state === "CANCELED",
      "the other process's cancel on the first page",
    );
    expect(page.facets.state.CANCELED ?? 0).toBe((before.facets.state.CANCELED ?? 0) + 1);

    const next = await submit(writer);
    await eventually(
      () => cachedPage(reader),
      (list) => list.data[0]?.id === next,
      "the other process's new intent on the first page",
    );
  });
});
