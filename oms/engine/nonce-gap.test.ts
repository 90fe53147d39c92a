import { afterEach, describe, expect, it } from "vitest";
import { createIntentService, type IntentCore } from "../core/intent-service";
import { createDb, type Db } from "../store/db";
import { getIntent } from "../store/intents-repo";
import { claimDueIntents } from "../store/leases-repo";
import { FakeChain } from "./test-support/fake-chain";
import { fakeManifest, switchableKeys } from "./test-support/fake-world";
import { submission } from "./test-support/intents";
import { workOnce } from "./workers";

const manifest = fakeManifest();
const vault = manifest.vaults[0] ?? (undefined as never);
const LEASE_MS = 600_000;

/**
 * Crash-test finding: the OMS was killed between committing intent A's signed transaction (nonce n)
 * and sending it. After the restart A stays leased to the dead process, while B gets nonce n+1,
 * which the node holds as queued behind the missing n. B must not wait for A's lease to run out.
 */
describe("a nonce gap left by a killed process", () => {
  let db: Db | undefined;
  let service: IntentCore | undefined;
  afterEach(async () => {
    await service?.close();
    await db?.close();
  });

  it("is filled by the next intent of the same signer resending the stored earlier transaction", async () => {
    db = await createDb({ sqlitePath: ":memory:" });
    const chain = new FakeChain(vault.merkle.root, manifest.contracts.hooks.deposit4626);
    const clock = { t: Date.UTC(2026, 0, 1), now: () => new Date(clock.t) };
    service = createIntentService({
      db: db.db,
      chain,
      manifest,
      keys: switchableKeys(),
      clock,
      foreignEventPollMs: null,
      engine: { receiptPollMs: 0, replaceAfterMs: 3_600_000, replaceAfterBlocks: 1_000 },
    });
    const engine = service.engine;
    const actor = { subject: "test", kind: "service" } as const;
    const submit = (variant: number) =>
      service?.submit(
        submission(manifest, vault, { action: "DEPOSIT", sizeExpr: String(1000 + variant), strategyId: `s${variant}` }),
        actor,
      );

    const a = await submit(1);
    if (a === undefined) throw new Error("no service");
    chain.crashNextSend = true; // A's signed transaction is committed, then the "process" dies before the send
    for (let i = 0; i < 6 && (await getIntent(db.db, a.intent.id))?.state !== "EXECUTING"; i++) {
      await workOnce(engine, "first-life", LEASE_MS, 10);
      clock.t += 2_000;
    }
    expect((await getIntent(db.db, a.intent.id))?.state).toBe("EXECUTING");
    expect(chain.pool.size).toBe(0);
    // The dead process still holds A's lease (it expires long after this test ends).
    clock.t += 2_000;
    expect((await claimDueIntents(db.db, "dead-process", clock.now(), LEASE_MS, 10)).map((i) => i.id)).toEqual([
      a.intent.id,
    ]);

    const b = await submit(2);
    if (b === undefined) throw new Error("no service");
    for (let round = 0; round < 12; round++) {
      await workOnce(engine, "second-life", LEASE_MS, 10);
      chain.mine();
      clock.t += 1_000;
    }
    expect((await getIntent(db.db, b.intent.id))?.state).toBe("COMPLETED");
    expect(chain.mined.size).toBe(2);
  });
});
