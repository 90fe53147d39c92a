import { describe, expect, it, vi } from "vitest";
import { silentLog } from "../kernel/logger";
import type { Db } from "../store/db";
import { StaleIntentError } from "../store/errors";
import { commitTransition, getIntent } from "../store/intents-repo";
import { appendManyStatement } from "../store/steps-together";
import { withTestDatabase } from "../store/test-support/databases";
import { receivedIntent } from "../store/test-support/fixtures";
import { createAppendBatcher } from "./append-batcher";

// The one function watched: a batch of waiting writes goes through it as one statement.
vi.mock("../store/steps-together", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../store/steps-together")>();
  return { ...actual, appendManyStatement: vi.fn(actual.appendManyStatement) };
});

const ack = { message_type: "INTENT_ACKED" as const, payload: { root: "0x", hooks: [] } };

/**
 * Group commit on PostgreSQL: a write that arrives while another runs waits, and the writes waiting by then go out
 * as one statement; each caller still gets its own intent's outcome, a lost race failing that write alone.
 */
describe("the append batcher on PostgreSQL", () => {
  let handle: Db;
  withTestDatabase("postgres", (opened) => {
    handle = opened;
  });

  it("writes the writes that waited for the running one as one statement, each answered with its own events", async () => {
    const batcher = createAppendBatcher(silentLog);
    const intents = [await receivedIntent(handle.db), await receivedIntent(handle.db), await receivedIntent(handle.db)];
    vi.mocked(appendManyStatement).mockClear();
    const committed = await Promise.all(
      intents.map((current) => batcher.commit(handle.db, current, [{ at: new Date(), events: [ack] }])),
    );
    // The first ran at once, alone; the two that arrived meanwhile went together.
    expect(vi.mocked(appendManyStatement)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(appendManyStatement).mock.calls[0]?.[1]).toHaveLength(2);
    for (const [i, current] of intents.entries()) {
      expect(committed[i]?.record).toMatchObject({ id: current.id, state: "ACKED", seq_num: 2 });
      expect(committed[i]?.events.map((event) => event.intent_id)).toEqual([current.id]);
      expect((await getIntent(handle.db, current.id))?.state).toBe("ACKED");
    }
  });

  it("fails only the write whose intent moved meanwhile; the others of its batch are written", async () => {
    const batcher = createAppendBatcher(silentLog);
    const intents = [await receivedIntent(handle.db), await receivedIntent(handle.db), await receivedIntent(handle.db)];
    const [, moved] = intents;
    if (moved === undefined) throw new Error("no intent");
    await commitTransition(handle.db, moved, [ack], new Date());
    const outcomes = await Promise.allSettled(
      intents.map((current) => batcher.commit(handle.db, current, [{ at: new Date(), events: [ack] }])),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(outcomes[1]?.status === "rejected" && outcomes[1].reason).toBeInstanceOf(StaleIntentError);
    for (const current of intents) expect((await getIntent(handle.db, current.id))?.seq_num).toBe(2);
  });
});
