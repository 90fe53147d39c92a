import { describe, expect, it, vi } from "vitest";
import { listAttempts } from "../store/attempts-repo";
import { memoryEngines } from "./test-support/memory-engine";

// The one function watched: tracking reads an intent's attempts through it.
vi.mock("../store/attempts-repo", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../store/attempts-repo")>();
  return { ...actual, listAttempts: vi.fn(actual.listAttempts) };
});

/**
 * A drive that signs and sends an intent's transaction knows its attempts: when the receipt is there at once, the
 * drive tracks it without reading them back, and the broadcast and the outcome are written together, the attempt's
 * row ending with both (the block it was broadcast at and its receipt).
 */
describe("tracking in the drive that sent the transaction", () => {
  const openEngine = memoryEngines();

  it("completes in one drive without reading the attempts, and stores the attempt as broadcast and mined", async () => {
    const engine = await openEngine({ receiptPollMs: 0 });
    const { chain, core, db } = engine;
    // A node that includes each transaction as it arrives.
    const send = chain.sendRaw.bind(chain);
    chain.sendRaw = async (raw) => {
      const sent = await send(raw);
      chain.mine();
      return sent;
    };
    const id = await engine.submit(1);
    vi.mocked(listAttempts).mockClear();
    await engine.rounds(1, 0);

    expect((await core.get(id))?.state).toBe("COMPLETED");
    expect(vi.mocked(listAttempts)).not.toHaveBeenCalled();
    const types = (await core.events(id, 0, 50)).map((event) => event.message_type);
    expect(types.slice(types.indexOf("TX_SIGNED"))).toEqual([
      "TX_SIGNED",
      "INTENT_EXECUTING",
      "TX_BROADCAST",
      "TX_MINED",
      "FILL_RECORDED",
      "INTENT_COMPLETED",
    ]);
    const [attempt] = await db.db.selectFrom("tx_attempts").selectAll().where("intent_id", "=", id).execute();
    expect(attempt).toMatchObject({
      status: "MINED",
      broadcast_block: chain.block,
      gas_used: 21_000,
      mined_block: chain.block,
    });
  });
});
