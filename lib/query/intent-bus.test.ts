import { afterEach, describe, expect, it, vi } from "vitest";
import { type BusConnect, IntentEventBus } from "./intent-bus";
import { BUS_VAULT as ALPHA, frame } from "./test-support/frames";

/** A fake BFF: each fetch takes the next scripted answer; an open stream stays open until aborted. */
function fakeStreams(answers: (string | number)[]) {
  const opened: { lastEventId: string | null; signal: AbortSignal }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      const signal = init.signal as AbortSignal;
      opened.push({ lastEventId: new Headers(init.headers).get("last-event-id"), signal });
      const answer = answers.shift() ?? "";
      if (typeof answer === "number") return new Response("{}", { status: answer });
      // An answer ending in "|end" is cut after its frames (a dropped connection); others stay open.
      const isCut = answer.endsWith("|end");
      const text = isCut ? answer.slice(0, -4) : answer;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          if (isCut) controller.close();
          signal.addEventListener("abort", () => controller.error(new Error("aborted")));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }),
  );
  return opened;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("the tab's intent event bus", () => {
  it("opens one connection for every subscriber, hands each the events, and closes once after the last leaves", async () => {
    const opened = fakeStreams([frame(7) + frame(8, "31337:0x00000000000000000000000000000000000000b2")]);
    const bus = new IntentEventBus({ lingerMs: 20 });
    const seenByQueue: number[] = [];
    const seenByCanvas: string[] = [];
    const leaveQueue = bus.subscribe({ onEvent: (event) => seenByQueue.push(event.position ?? 0) });
    const leaveCanvas = bus.subscribe({ onEvent: (event) => seenByCanvas.push(event.vault_id) });
    await vi.waitFor(() => expect(seenByCanvas).toHaveLength(2));
    expect(seenByQueue).toEqual([7, 8]);
    expect(seenByCanvas).toEqual([ALPHA, "31337:0x00000000000000000000000000000000000000b2"]);
    expect(opened).toHaveLength(1);
    expect(bus.getStatus()).toBe("live");

    leaveQueue();
    leaveCanvas();
    await vi.waitFor(() => expect(opened[0]?.signal.aborted).toBe(true));
    expect(bus.getStatus()).toBe("connecting");
    expect(opened).toHaveLength(1);
  });

  it("survives React strict mode's unmount and remount without reconnecting", async () => {
    const opened = fakeStreams([""]);
    const bus = new IntentEventBus({ lingerMs: 20 });
    const leave = bus.subscribe({});
    leave();
    const again: BusConnect[] = [];
    const leaveAgain = bus.subscribe({ onConnect: (connect) => again.push(connect) });
    await vi.waitFor(() => expect(again).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(opened).toHaveLength(1);
    expect(opened[0]?.signal.aborted).toBe(false);
    leaveAgain();
  });

  it("resumes after the tab's last position on reconnect; a late subscriber joins at the live edge", async () => {
    const opened = fakeStreams([`${frame(9)}|end`, frame(10)]);
    const bus = new IntentEventBus({ lingerMs: 0 });
    const connects: BusConnect[] = [];
    const positions: number[] = [];
    const leave = bus.subscribe({
      onConnect: (connect) => connects.push(connect),
      onEvent: (event) => positions.push(event.position ?? 0),
    });
    await vi.waitFor(() => expect(positions).toEqual([9, 10]), { timeout: 5_000 });
    expect(opened.map((connection) => connection.lastEventId)).toEqual([null, "9"]);
    expect(connects).toEqual([
      { resumed: false, afterOutage: false },
      { resumed: true, afterOutage: true },
    ]);
    const late: BusConnect[] = [];
    const leaveLate = bus.subscribe({ onConnect: (connect) => late.push(connect) });
    expect(late).toEqual([{ resumed: false, afterOutage: false }]);
    leave();
    leaveLate();
  });

  it("polls each subscriber's fallback only while the stream is down, and tells it the stream is back", async () => {
    vi.useFakeTimers();
    fakeStreams([502, 502, ""]);
    const bus = new IntentEventBus({ lingerMs: 0 });
    let polls = 0;
    const connects: BusConnect[] = [];
    const statuses: string[] = [];
    const stopWatching = bus.watchStatus(() => statuses.push(bus.getStatus()));
    const leave = bus.subscribe({
      fallback: { everyMs: 500, run: () => (polls += 1) },
      onConnect: (connect) => connects.push(connect),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(bus.getStatus()).toBe("stale");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(polls).toBe(2);
    // The second retry (2 s backoff) connects.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(bus.getStatus()).toBe("live");
    const pollsWhenLive = polls;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(polls).toBe(pollsWhenLive);
    expect(connects).toEqual([{ resumed: false, afterOutage: true }]);
    expect(statuses).toEqual(["stale", "live"]);
    stopWatching();
    leave();
  });

  it("passes reset and access_changed to every subscriber as a gap, and drops frames it cannot read", async () => {
    fakeStreams([
      `event: intent_event\ndata: {"not":"an event"}\n\nid: 12\nevent: reset\ndata: {"head":12}\n\nevent: access_changed\ndata: {}\n\n`,
    ]);
    const bus = new IntentEventBus({ lingerMs: 0 });
    const gaps: string[] = [];
    let events = 0;
    const leave = bus.subscribe({ onGap: (gap) => gaps.push(gap), onEvent: () => (events += 1) });
    await vi.waitFor(() => expect(gaps).toEqual(["reset", "access_changed"]));
    expect(events).toBe(0);
    leave();
  });
});
