import { afterEach, describe, expect, it, vi } from "vitest";
import { connectSse } from "./sse";
import type { SseMessage } from "./sse-parser";

function streamResponse(body: string): Response {
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("connectSse", () => {
  it("reconnects with the last id the stream sent, and passes a reset through", async () => {
    const sent: (string | null)[] = [];
    const bodies = [
      'id: 7\nevent: intent_event\ndata: {"a":1}\n\n: heartbeat\n\nid: 9\nevent: intent_event\ndata: {"a":2}\n\n',
      'id: 12\nevent: reset\ndata: {"head":12}\n\n',
    ];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(new Headers(init.headers).get("last-event-id"));
        return streamResponse(bodies.shift() ?? "");
      }),
    );
    const messages: SseMessage[] = [];
    const close = connectSse({ url: () => "/api/oms/stream", onMessage: (m) => messages.push(m), onStatus: () => {} });
    await vi.waitFor(() => expect(sent.length).toBe(3), { timeout: 5_000 });
    close();
    // First connect from the head; the stream's end is a cut, so it resumes after 9, then after the reset's head.
    expect(sent).toEqual([null, "9", "12"]);
    expect(messages.map((m) => [m.id, m.event])).toEqual([
      ["7", "intent_event"],
      ["9", "intent_event"],
      ["12", "reset"],
    ]);
  });

  it("a caller's own lastEventId wins over the stream's ids", async () => {
    const sent: (string | null)[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(new Headers(init.headers).get("last-event-id"));
        return streamResponse("id: 5\nevent: intent_event\ndata: {}\n\n");
      }),
    );
    const close = connectSse({
      url: () => "/x",
      lastEventId: () => "3",
      onMessage: () => {},
      onStatus: () => {},
    });
    await vi.waitFor(() => expect(sent.length).toBe(2), { timeout: 5_000 });
    close();
    expect(sent).toEqual(["3", "3"]);
  });

  it("without resume, every reconnect starts at the head", async () => {
    const sent: (string | null)[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(new Headers(init.headers).get("last-event-id"));
        return streamResponse("id: 5\nevent: intent_event\ndata: {}\n\n");
      }),
    );
    const close = connectSse({ url: () => "/x", resume: false, onMessage: () => {}, onStatus: () => {} });
    await vi.waitFor(() => expect(sent.length).toBe(2), { timeout: 5_000 });
    close();
    expect(sent).toEqual([null, null]);
  });
});
