import { afterEach, describe, expect, it, vi } from "vitest";
import { type BusConnect, IntentEventBus } from "./intent-bus";
import type { LockManagerLike } from "./intent-bus-relay";
import { frame } from "./test-support/frames";

/** The BFF: every stream request is noted; the test writes frames into the open ones. */
function fakeStreams() {
  const opened: { lastEventId: string | null; signal: AbortSignal; send: (text: string) => void }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      const signal = init.signal as AbortSignal;
      let send: (text: string) => void = () => undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          send = (text) => controller.enqueue(new TextEncoder().encode(text));
          signal.addEventListener("abort", () => controller.error(new Error("aborted")));
        },
      });
      opened.push({ lastEventId: new Headers(init.headers).get("last-event-id"), signal, send });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }),
  );
  return opened;
}

/** Web Locks as the browser grants them: one holder per name, the next waiting request when it lets go. */
function fakeLocks(): LockManagerLike {
  const waiting = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  const next = (name: string) => {
    if (held.has(name)) return;
    waiting.get(name)?.shift()?.();
  };
  return {
    request: (name, { signal }, callback) =>
      new Promise((resolve, reject) => {
        const grant = () => {
          held.add(name);
          callback()
            .then(resolve, reject)
            .finally(() => {
              held.delete(name);
              next(name);
            });
        };
        const queue = waiting.get(name) ?? [];
        waiting.set(name, queue);
        queue.push(grant);
        signal.addEventListener("abort", () => {
          const at = queue.indexOf(grant);
          if (at < 0) return;
          queue.splice(at, 1);
          reject(new DOMException("aborted", "AbortError"));
        });
        next(name);
      }),
  };
}

const channels: BroadcastChannel[] = [];
/** One tab's bus: a browser's tabs share the locks; each tab has its own channel object. */
function tab(locks: LockManagerLike, session: string): IntentEventBus {
  const bus = new IntentEventBus({
    lingerMs: 0,
    sharing: () => ({
      locks,
      channel: (name) => {
        const channel = new BroadcastChannel(name);
        channels.push(channel);
        return channel;
      },
    }),
  });
  bus.shareAs(session);
  return bus;
}

afterEach(async () => {
  // The buses close after their (zero) linger: let them, so no connection of one test opens in the next.
  await new Promise((resolve) => setTimeout(resolve, 30));
  for (const channel of channels.splice(0)) channel.close();
  vi.unstubAllGlobals();
});

describe("one intent stream per browser", () => {
  it("opens one connection for two tabs; the second hears every frame and is told it joined a live stream", async () => {
    const opened = fakeStreams();
    const locks = fakeLocks();
    const first: number[] = [];
    const second: number[] = [];
    const joined: BusConnect[] = [];
    const leaveFirst = tab(locks, "0xAA").subscribe({ onEvent: (event) => first.push(event.position ?? 0) });
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    const secondTab = tab(locks, "0xaa");
    const leaveSecond = secondTab.subscribe({
      onEvent: (event) => second.push(event.position ?? 0),
      onConnect: (connect) => joined.push(connect),
    });
    await vi.waitFor(() => expect(joined).toEqual([{ resumed: false, afterOutage: false }]));
    opened[0]?.send(frame(7) + frame(8));
    await vi.waitFor(() => expect(second).toEqual([7, 8]));
    expect(first).toEqual([7, 8]);
    expect(secondTab.getStatus()).toBe("live");
    expect(opened).toHaveLength(1);
    leaveFirst();
    leaveSecond();
  });

  it("hands the connection to another tab when the leader leaves, resuming after the last frame it relayed", async () => {
    const opened = fakeStreams();
    const locks = fakeLocks();
    const leaveLeader = tab(locks, "0xaa").subscribe({});
    await vi.waitFor(() => expect(opened).toHaveLength(1));
    const connects: BusConnect[] = [];
    const heard: number[] = [];
    const leaveOther = tab(locks, "0xaa").subscribe({
      onConnect: (connect) => connects.push(connect),
      onEvent: (event) => heard.push(event.position ?? 0),
    });
    await vi.waitFor(() => expect(connects).toHaveLength(1));
    opened[0]?.send(frame(11));
    await vi.waitFor(() => expect(heard).toEqual([11]));

    leaveLeader();
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    expect(opened[0]?.signal.aborted).toBe(true);
    expect(opened[1]?.lastEventId).toBe("11");
    opened[1]?.send(frame(12));
    await vi.waitFor(() => expect(heard).toEqual([11, 12]));
    // Everything it missed was replayed: its subscribers need not refetch.
    expect(connects.at(-1)).toEqual({ resumed: true, afterOutage: false });
    leaveOther();
  });

  it("never relays one session's frames to a tab signed in as someone else", async () => {
    const opened = fakeStreams();
    const locks = fakeLocks();
    const heardByOther: number[] = [];
    const leaveA = tab(locks, "0xaa").subscribe({});
    const leaveB = tab(locks, "0xbb").subscribe({ onEvent: (event) => heardByOther.push(event.position ?? 0) });
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    opened[0]?.send(frame(5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(heardByOther).toEqual([]);
    leaveA();
    leaveB();
  });

  it("keeps a connection per tab where the browser has no locks or channels", async () => {
    const opened = fakeStreams();
    const perTab = () => new IntentEventBus({ lingerMs: 0, sharing: () => null });
    const a = perTab();
    const b = perTab();
    a.shareAs("0xaa");
    b.shareAs("0xaa");
    const leaveA = a.subscribe({});
    const leaveB = b.subscribe({});
    await vi.waitFor(() => expect(opened).toHaveLength(2));
    leaveA();
    leaveB();
  });
});
