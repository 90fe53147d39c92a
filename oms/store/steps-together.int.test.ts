import { describe, expect, it } from "vitest";
import { chainLink, eventDigest, GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Db } from "./db";
import { StaleIntentError } from "./errors";
import { commitTransition, getIntent } from "./intents-repo";
import { headPosition } from "./positions";
import { commitStepsTogether } from "./steps-together";
import { DIALECTS, withTwoHandles } from "./test-support/databases";
import { receivedIntent } from "./test-support/fixtures";

const ack = { message_type: "INTENT_ACKED" as const, payload: { root: "0x", hooks: [] } };
const waiting = { message_type: "WAITING" as const, payload: { reason: "SESSION_KEY_NOT_READY", message: "no key" } };

/**
 * Several intents' steps in one transaction (a signing turn): on PostgreSQL their appends are one statement. Each
 * intent's events continue its own chain, the whole turn takes one gapless range of positions, and one stale intent
 * writes nothing for any of them.
 */
describe.each(DIALECTS)("commitStepsTogether on %s", (dialect) => {
  let first: Db;
  let second: Db;

  withTwoHandles(dialect, (handles) => {
    ({ first, second } = handles);
  });

  it("appends each intent's events after its own head, numbered in one gapless range, hashes chained", async () => {
    const intents = [await receivedIntent(first.db), await receivedIntent(first.db), await receivedIntent(first.db)];
    const head = await headPosition(first.db);
    const at = new Date();
    const committed = await commitStepsTogether(
      first.db,
      intents.map((current, i) => ({
        current,
        steps: [{ at, events: i === 1 ? [ack, waiting, waiting] : [ack] }],
      })),
    );
    expect(committed.flatMap((c) => c.events.map((event) => event.position))).toEqual(
      Array.from({ length: 5 }, (_, i) => head + 1 + i),
    );
    for (const [i, current] of intents.entries()) {
      const stored = await getIntent(second.db, current.id);
      expect(stored?.seq_num).toBe(i === 1 ? 4 : 2);
      expect(stored?.state).toBe("ACKED");
      const events = await second.db
        .selectFrom("intent_events")
        .selectAll()
        .where("intent_id", "=", current.id)
        .orderBy("seq_num")
        .execute();
      let previous = GENESIS_HASH;
      for (const row of events) {
        const event = { ...row, payload: JSON.parse(row.payload) as unknown };
        expect(row.hash).toBe(chainLink(previous, eventDigest(event), Number(row.position)));
        previous = row.hash ?? "";
      }
      expect(committed[i]?.events.map((event) => event.hash)).toEqual(events.slice(1).map((row) => row.hash));
    }
    expect(await headPosition(second.db)).toBe(head + 5);
  });

  it("writes nothing for any of them when one intent moved meanwhile", async () => {
    const intents = [await receivedIntent(first.db), await receivedIntent(first.db)];
    const [, moved] = intents;
    if (moved === undefined) throw new Error("no intent");
    await commitTransition(second.db, moved, [ack], new Date());
    const head = await headPosition(first.db);
    const together = commitStepsTogether(
      first.db,
      intents.map((current) => ({ current, steps: [{ at: new Date(), events: [ack] }] })),
    );
    await expect(together).rejects.toBeInstanceOf(StaleIntentError);
    expect(await headPosition(first.db)).toBe(head);
    expect((await getIntent(first.db, intents[0]?.id ?? ""))?.seq_num).toBe(1);
    expect((await getIntent(first.db, moved.id))?.seq_num).toBe(2);
  });
});
