import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getIntent } from "../store/intents-repo";
import { ensureSignerNonce, readNextNonce } from "../store/nonces-repo";
import { createTestDatabase, type TestDatabase } from "../store/test-support/databases";
import { createMemoryEngine, type MemoryEngine } from "./test-support/memory-engine";

/**
 * On PostgreSQL a lane signs with the nonce it predicts (where its last turn left the signer's counter) and writes
 * the turn as one statement guarded on that value. When another process signed for the key meanwhile, the guess is
 * wrong: nothing may be written with it, and the turn is written again with the counter's real value.
 */
describe("a signing lane on PostgreSQL", () => {
  let database: TestDatabase;
  let engine: MemoryEngine;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    engine = await createMemoryEngine({ receiptPollMs: 0 }, 1_000, undefined, await database.open());
  });
  afterAll(async () => {
    await engine?.close();
    await database?.destroy();
  });

  const signedNonce = async (id: string) => {
    const signed = (await engine.core.events(id, 0, 50)).find((event) => event.message_type === "TX_SIGNED");
    return signed === undefined ? undefined : (signed.payload as { nonce: number }).nonce;
  };
  const driveTo = async (id: string, state: string) => {
    for (let round = 0; round < 10 && (await getIntent(engine.db.db, id))?.state !== state; round++) {
      await engine.rounds(1, 1_000);
      engine.chain.mine();
    }
    expect((await getIntent(engine.db.db, id))?.state).toBe(state);
  };

  it("signs with the counter's value, not its guess, after another process took nonces", async () => {
    const signer = engine.keys.account.address.toLowerCase();
    const first = await engine.submit(1);
    await driveTo(first, "COMPLETED");
    const guessed = (await readNextNonce(engine.db.db, engine.chain.chainId, signer)) ?? -1;
    expect(await signedNonce(first)).toBe(guessed - 1);

    // Another process signed three transactions for this key: the counter moved on without this lane.
    await ensureSignerNonce(engine.db.db, engine.chain.chainId, signer, guessed + 3, new Date());
    const second = await engine.submit(2);
    await driveTo(second, "EXECUTING");
    expect(await signedNonce(second)).toBe(guessed + 3);
    expect(await readNextNonce(engine.db.db, engine.chain.chainId, signer)).toBe(guessed + 4);
  });
});
