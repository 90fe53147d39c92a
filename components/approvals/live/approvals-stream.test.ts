import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Intent } from "@/lib/defix/intents";
import { IntentEventBus } from "@/lib/query/intent-bus";
import { queryKeys } from "@/lib/query/keys";
import { APPROVALS_FALLBACK_POLL_MS, ApprovalsStream } from "./approvals-stream";

/** Each test its own tab: a fresh bus, so no connection lingers from the test before. */
function freshStream() {
  const bus = new IntentEventBus({ lingerMs: 0 });
  return { bus, approvalsStream: new ApprovalsStream(bus) };
}

const CAUGHT = "33333333-3333-4333-8333-333333333333";
const OTHER = "44444444-4444-4444-8444-444444444444";

function waitingFrame(intentId: string, reason: string, position: number): string {
  const event = {
    event_id: `e${position}`,
    intent_id: intentId,
    execution_id: null,
    message_type: "WAITING",
    seq_num: 2,
    payload: { reason, message: reason },
    created_at: "2026-01-01T00:00:00.000Z",
    position,
    vault_id: "31337:0x00000000000000000000000000000000000000a1",
  };
  return `id: ${position}\nevent: intent_event\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The queue's one cache entry with an observer (as a mounted badge has), counting its fetches. */
function watchedQueue(client: QueryClient) {
  let fetches = 0;
  const observer = new QueryObserver<Intent[]>(client, {
    queryKey: queryKeys.approvalsQueue,
    queryFn: async () => {
      fetches += 1;
      return [];
    },
  });
  const stop = observer.subscribe(() => undefined);
  return { fetches: () => fetches, stop };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the approvals queue's live stream", () => {
  it("refetches the queue on connect and on an event that can change it, not on others", async () => {
    let push: (text: string) => void = () => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(new TextEncoder().encode(text));
      },
    });
    const sent: (string | null)[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(new Headers(init.headers).get("last-event-id"));
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      }),
    );
    const client = new QueryClient();
    const { bus, approvalsStream } = freshStream();
    const queue = watchedQueue(client);
    const unsubscribe = approvalsStream.subscribe(client, () => undefined);
    try {
      await vi.waitFor(() => expect(bus.getStatus()).toBe("live"));
      // The mount's fetch, then the catch-up on connect.
      await vi.waitFor(() => expect(queue.fetches()).toBe(2));

      push(waitingFrame(OTHER, "SESSION_KEY_NOT_READY", 10));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(queue.fetches()).toBe(2);

      push(waitingFrame(CAUGHT, "APPROVAL_REQUIRED", 11));
      await vi.waitFor(() => expect(queue.fetches()).toBe(3));
      push(`event: access_changed\ndata: {"removed_vault_ids":["31337:0x01"]}\n\n`);
      await vi.waitFor(() => expect(queue.fetches()).toBe(4));
      expect(sent).toEqual([null]);
    } finally {
      unsubscribe();
      queue.stop();
    }
  });

  it("says it is stale when the stream cannot be opened", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("{}", { status: 502, headers: { "content-type": "application/json" } })),
    );
    const client = new QueryClient();
    const { bus, approvalsStream } = freshStream();
    const statuses: string[] = [];
    const unsubscribe = approvalsStream.subscribe(client, () => statuses.push(bus.getStatus()));
    try {
      await vi.waitFor(() => expect(bus.getStatus()).toBe("stale"));
      expect(statuses).toEqual(["stale"]);
    } finally {
      unsubscribe();
    }
    // The last subscriber gone, the tab's stream is closed (after its short linger) and a later page starts over.
    await vi.waitFor(() => expect(bus.getStatus()).toBe("connecting"), { timeout: 3_000 });
  });

  it("while the stream is down, looks at the queue again every 15 s", async () => {
    vi.useFakeTimers();
    try {
      vi.stubGlobal(
        "fetch",
        vi.fn(async () => new Response("{}", { status: 502, headers: { "content-type": "application/json" } })),
      );
      const client = new QueryClient();
      const { bus, approvalsStream } = freshStream();
      const queue = watchedQueue(client);
      const unsubscribe = approvalsStream.subscribe(client, () => undefined);
      try {
        await vi.advanceTimersByTimeAsync(1_000);
        expect(bus.getStatus()).toBe("stale");
        const before = queue.fetches();
        await vi.advanceTimersByTimeAsync(APPROVALS_FALLBACK_POLL_MS * 2);
        expect(queue.fetches() - before).toBe(2);
      } finally {
        unsubscribe();
        queue.stop();
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
