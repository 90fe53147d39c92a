import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IntentList } from "../../lib/defix";
import { createIntentService, type IntentCore } from "../core/intent-service";
import { FakeChain } from "../engine/test-support/fake-chain";
import { fakeManifest, switchableKeys } from "../engine/test-support/fake-world";
import { createOmsDb } from "../migrations";
import type { Db } from "../store/db";
import { insertIntent } from "../store/intent-batch";
import { receivedPayload } from "../store/test-support/fixtures";
import { VAULT_A, VAULT_B } from "./test-support/fixtures";
import { createUnitHarness, OUTSIDER, PRIMARY, SERVICE, type UnitHarness, VIEWER } from "./test-support/harness";

/**
 * The cached read path (answers kept as bytes by id and per first page) over the real intent core:
 * whoever filled the cache, each caller still sees only the vaults it holds a role on.
 */
describe("GET /defix/intents and /defix/intents/{id} from the read caches", () => {
  let db: Db;
  let core: IntentCore;
  let harness: UnitHarness;
  let inA: string;
  let inB: string;
  beforeAll(async () => {
    db = await createOmsDb({ sqlitePath: ":memory:" });
    const manifest = fakeManifest();
    core = createIntentService({
      db: db.db,
      chain: new FakeChain(`0x${"00".repeat(32)}`, manifest.contracts.hooks.deposit4626),
      manifest,
      keys: switchableKeys(),
      foreignEventPollMs: null,
    });
    const a = await insertIntent(
      db.db,
      receivedPayload({ vault_id: VAULT_A, config_hash: `0x${"a1".repeat(32)}` }),
      new Date(),
    );
    const b = await insertIntent(
      db.db,
      receivedPayload({ vault_id: VAULT_B, config_hash: `0x${"b1".repeat(32)}` }),
      new Date(),
    );
    if (a === null || b === null) throw new Error("not inserted");
    inA = a.record.id;
    inB = b.record.id;
    harness = await createUnitHarness({ intents: core });
  });
  afterAll(async () => {
    await harness.app.close();
    await core.close();
    await db.close();
  });

  const get = async (subject: string, url: string, claims?: Record<string, unknown>) =>
    harness.app.inject({ method: "GET", url, headers: await harness.bearer(subject, claims) });

  it("answers a cached intent only to callers with a role on its vault", async () => {
    // The primary manager of both vaults reads both first (and twice), so both answers are cached.
    for (let i = 0; i < 2; i++) {
      for (const id of [inA, inB]) {
        const response = await get(PRIMARY, `/defix/intents/${id}`);
        expect(response.statusCode).toBe(200);
        expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
        expect(response.json()).toMatchObject({ id, state: "RECEIVED" });
      }
    }
    expect(core.readCacheStats().intents.entries).toBe(2);
    expect((await get(VIEWER, `/defix/intents/${inA}`)).statusCode).toBe(200);
    for (const [subject, id] of [
      [VIEWER, inB],
      [OUTSIDER, inA],
      [OUTSIDER, inB],
    ] as const) {
      const response = await get(subject, `/defix/intents/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe("INTENT_NOT_FOUND");
    }
    const service = await get(SERVICE, `/defix/intents/${inB}`, { svc_vaults: [VAULT_A] });
    expect(service.statusCode).toBe(404);
  });

  it("answers each caller the first page of its own vaults, whoever filled the cache", async () => {
    const ids = async (subject: string) =>
      ((await get(subject, "/defix/intents?limit=50")).json() as IntentList).data.map((intent) => intent.id);
    expect(await ids(PRIMARY)).toEqual([inB, inA]);
    expect(await ids(PRIMARY)).toEqual([inB, inA]);
    expect(await ids(VIEWER)).toEqual([inA]);
    expect(await ids(OUTSIDER)).toEqual([]);
    const narrowed = await get(VIEWER, `/defix/intents?limit=50&vault_id=${encodeURIComponent(VAULT_B)}`);
    expect(narrowed.statusCode).toBe(403);
  });
});
