import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IntentEvent } from "@/lib/defix/events";
import type { IntentBusSubscriber } from "@/lib/query/intent-bus";
import { queryKeys } from "@/lib/query/keys";
import { makeEvent, makeIntent } from "../model/fixtures";
import { followIntent, mergeEvents, REFRESH_DELAY_MS } from "./intent-follower";

const ID = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";

describe("mergeEvents", () => {
  it("keeps the log gapless and ordered when a resumed stream repeats or reorders events", () => {
    const held = [makeEvent(1, "INTENT_RECEIVED", 0), makeEvent(2, "INTENT_ACKED", 1)];
    const resumed = [
      makeEvent(4, "INTENT_PLANNED", 3),
      makeEvent(2, "INTENT_ACKED", 1),
      makeEvent(3, "INTENT_STAGED", 2),
    ];
    expect(mergeEvents(held, resumed).map((event) => event.seq_num)).toEqual([1, 2, 3, 4]);
  });
});

/** The tab's bus as the follower sees it, driven by the test; reads of the log answer when the test says. */
function setUp(held: IntentEvent[]) {
  const client = new QueryClient();
  client.setQueryData(queryKeys.intents.events(ID), held);
  client.setQueryData(queryKeys.intents.detail(ID), makeIntent({ id: ID, seq_num: held.length, state: "ACKED" }));
  const subscribers = new Set<IntentBusSubscriber>();
  const reads: { afterSeq: number; answer: (events: IntentEvent[]) => void }[] = [];
  let done = 0;
  const stop = followIntent({
    client,
    id: ID,
    bus: {
      subscribe: (subscriber) => {
        subscribers.add(subscriber);
        return () => subscribers.delete(subscriber);
      },
    },
    fetchAfter: (afterSeq) => new Promise((resolve) => reads.push({ afterSeq, answer: resolve })),
    onDone: () => {
      done += 1;
    },
  });
  const each = (call: (subscriber: IntentBusSubscriber) => void) => {
    for (const subscriber of [...subscribers]) call(subscriber);
  };
  return {
    client,
    stop,
    reads,
    subscribers,
    doneCount: () => done,
    send: (event: IntentEvent) => each((s) => s.onEvent?.({ ...event, vault_id: "31337:0xaa" })),
    connect: (resumed: boolean) => each((s) => s.onConnect?.({ resumed, afterOutage: false })),
    seqs: () => client.getQueryData<IntentEvent[]>(queryKeys.intents.events(ID))?.map((event) => event.seq_num),
    state: () => client.getQueryData<{ state: string }>(queryKeys.intents.detail(ID))?.state,
  };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const ev = (seq: number, type: IntentEvent["message_type"], intentId = ID) => makeEvent(seq, type, seq, {}, intentId);

describe("following one intent on the tab's bus", () => {
  it("reads what it missed on joining and merges it with what the bus sends meanwhile, none lost or twice", async () => {
    const t = setUp([ev(1, "INTENT_RECEIVED"), ev(2, "INTENT_ACKED")]);
    t.connect(false);
    expect(t.reads.map((read) => read.afterSeq)).toEqual([2]);
    // Committed after the page's load, before the subscription: only the read knows it. Seq 4 comes both ways.
    t.send(ev(4, "INTENT_PLANNED"));
    t.reads[0]?.answer([ev(3, "INTENT_STAGED"), ev(4, "INTENT_PLANNED")]);
    await settle();
    expect(t.seqs()).toEqual([1, 2, 3, 4]);
    expect(t.state()).toBe("PLANNED");
  });

  it("ignores other intents' events and reads nothing after a connection that resumed", () => {
    const t = setUp([ev(1, "INTENT_RECEIVED")]);
    t.send(ev(2, "INTENT_ACKED", OTHER));
    t.connect(true);
    expect(t.seqs()).toEqual([1]);
    expect(t.reads).toEqual([]);
  });

  it("reads after the last seq held on `reset` and on each poll while the stream is down, one read at a time", async () => {
    const t = setUp([ev(1, "INTENT_RECEIVED"), ev(2, "INTENT_ACKED")]);
    for (const subscriber of t.subscribers) {
      subscriber.onGap?.("reset");
      subscriber.fallback?.run();
      subscriber.fallback?.run();
    }
    expect(t.reads.map((read) => read.afterSeq)).toEqual([2]);
    t.reads[0]?.answer([ev(3, "INTENT_STAGED")]);
    await settle();
    // The two requests made while the first read was out became one read, after what the first brought.
    expect(t.reads.map((read) => read.afterSeq)).toEqual([2, 3]);
  });

  it("stops at the terminal event: done once, unsubscribed, later events ignored", () => {
    const t = setUp([ev(1, "INTENT_RECEIVED"), ev(2, "INTENT_ACKED")]);
    t.send(ev(3, "INTENT_CANCELED"));
    expect(t.doneCount()).toBe(1);
    expect(t.subscribers.size).toBe(0);
    expect(t.state()).toBe("CANCELED");
    t.stop();
    expect(t.doneCount()).toBe(1);
  });

  describe("refetches of what events change", () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    const invalidated = (spy: { mock: { calls: unknown[][] } }) =>
      spy.mock.calls.map((call) => JSON.stringify((call[0] as { queryKey: unknown }).queryKey));

    it("go out once per burst, after the burst, not once per event", () => {
      vi.useFakeTimers();
      const t = setUp([ev(1, "INTENT_RECEIVED"), ev(2, "INTENT_ACKED")]);
      const spy = vi.spyOn(t.client, "invalidateQueries");
      for (const [seq, type] of [
        [3, "INTENT_STAGED"],
        [4, "INTENT_PLANNED"],
        [5, "INTENT_EXECUTING"],
        [6, "TX_SIGNED"],
        [7, "TX_BROADCAST"],
      ] as const)
        t.send(ev(seq, type));
      // The timeline and the state moved at once; nothing was refetched yet.
      expect(t.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(spy).not.toHaveBeenCalled();
      vi.advanceTimersByTime(REFRESH_DELAY_MS);
      expect(invalidated(spy).sort()).toEqual(
        [JSON.stringify(queryKeys.intents.attempts(ID)), JSON.stringify(queryKeys.intents.detail(ID))].sort(),
      );
      t.send(ev(8, "TX_MINED"));
      vi.advanceTimersByTime(REFRESH_DELAY_MS);
      expect(spy).toHaveBeenCalledTimes(4);
      expect(invalidated(spy).slice(2).sort()).toEqual(
        [JSON.stringify(queryKeys.intents.fills(ID)), JSON.stringify(queryKeys.intents.attempts(ID))].sort(),
      );
      t.stop();
    });

    it("read the fills again when the first read of them, asked for while the transaction was out, is still out", async () => {
      const t = setUp([ev(1, "INTENT_RECEIVED"), ev(2, "INTENT_ACKED")]);
      const answers: ((fills: string[]) => void)[] = [];
      const fills = new QueryObserver(t.client, {
        queryKey: queryKeys.intents.fills(ID),
        queryFn: () => new Promise<string[]>((resolve) => answers.push(resolve)),
      });
      const unsubscribe = fills.subscribe(() => undefined);
      await settle();
      // Mined, recorded and completed while the page's first read of the fills (from before) was out.
      t.send(ev(3, "TX_MINED"));
      t.send(ev(4, "FILL_RECORDED"));
      t.send(ev(5, "INTENT_COMPLETED"));
      answers[0]?.([]);
      await settle();
      expect(answers).toHaveLength(2);
      answers[1]?.(["fill"]);
      await settle();
      expect(fills.getCurrentResult().data).toEqual(["fill"]);
      unsubscribe();
    });

    it("go out at once with the terminal event: the final fills and attempts are never left waiting", () => {
      vi.useFakeTimers();
      const t = setUp([ev(1, "INTENT_RECEIVED"), ev(2, "INTENT_ACKED")]);
      const spy = vi.spyOn(t.client, "invalidateQueries");
      t.send(ev(3, "TX_MINED"));
      t.send(ev(4, "INTENT_COMPLETED"));
      expect(t.doneCount()).toBe(1);
      expect(invalidated(spy).sort()).toEqual(
        [
          JSON.stringify(queryKeys.intents.attempts(ID)),
          JSON.stringify(queryKeys.intents.detail(ID)),
          JSON.stringify(queryKeys.intents.fills(ID)),
        ].sort(),
      );
    });
  });
});
