import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Intent, IntentList } from "@/lib/defix/intents";
import { queryKeys } from "@/lib/query/keys";
import { at, makeIntent, makeReceivedEvent } from "../model/fixtures";
import { type IntentPages, rowsOf } from "../model/live-cache";
import { LiveSync } from "./live-sync";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const row = (n: number) => makeIntent({ id: id(n), created_at: new Date(at(n)).toISOString() });
const facets = { state: {}, action: {}, vault_id: {}, strategy_id: {} };
const filters = {};

/** The BFF's list endpoint: each call answers the next scripted page, when the test says. */
function fakeList() {
  const calls: { resolve: (page: IntentList) => void }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(
      (url: string) =>
        new Promise<Response>((resolve) => {
          if (!url.startsWith("/api/oms/intents?")) throw new Error(`unexpected fetch ${url}`);
          calls.push({ resolve: (page) => resolve(Response.json(page)) });
        }),
    ),
  );
  return calls;
}

function cachedHistory(rows: Intent[]): QueryClient {
  const client = new QueryClient();
  client.setQueryData<IntentPages>(queryKeys.intents.list(filters), {
    pages: [{ data: rows, next_cursor: null, facets }],
    pageParams: [null],
  });
  return client;
}
const shown = (client: QueryClient) =>
  rowsOf(client.getQueryData<IntentPages>(queryKeys.intents.list(filters))).map((intent) => intent.id);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("LiveSync.catchUp (a connection that did not resume)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("reads the newest page even right after a poll, and shows an intent whose whole life fell in the gap", async () => {
    const calls = fakeList();
    const client = cachedHistory([row(1)]);
    const sync = new LiveSync(client, () => filters);
    const polled = sync.poll(false);
    await settle();
    calls[0]?.resolve({ data: [row(1)], next_cursor: null, facets });
    await polled;
    // Within the poll gap a plain poll reads nothing; the catch-up does.
    await sync.poll(false);
    expect(calls).toHaveLength(1);
    const caught = sync.catchUp();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve({ data: [row(2), row(1)], next_cursor: null, facets });
    await caught;
    expect(shown(client)).toEqual([id(2), id(1)]);
  });

  it("waits for a poll in flight, then reads once more (that poll's page may predate the connection)", async () => {
    const calls = fakeList();
    const client = cachedHistory([row(1)]);
    const sync = new LiveSync(client, () => filters);
    const polled = sync.poll(false);
    const caught = sync.catchUp();
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve({ data: [row(1)], next_cursor: null, facets });
    await polled;
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve({ data: [row(3), row(1)], next_cursor: null, facets });
    await caught;
    expect(shown(client)).toEqual([id(3), id(1)]);
  });
});

describe("LiveSync: counts read before rows the stream already showed", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  const count = (client: QueryClient) => {
    const first = client.getQueryData<IntentPages>(queryKeys.intents.list(filters))?.pages[0];
    return `${shown(client).length} of ${Object.values(first?.facets.state ?? {}).reduce((a, b) => a + b, 0)}`;
  };

  it("a catch-up page read before an intent committed, answered after its row showed, keeps it counted", async () => {
    const calls = fakeList();
    const client = cachedHistory([]);
    const sync = new LiveSync(client, () => filters);
    const caught = sync.catchUp();
    await settle();
    await sync.applyBatch([makeReceivedEvent(id(1), 1)]);
    expect(count(client)).toBe("1 of 1");
    calls[0]?.resolve({ data: [], next_cursor: null, facets });
    await caught;
    expect(count(client)).toBe("1 of 1");
  });

  it("the facet refresh's answer, read before the next intent, counts both; a later one counts from itself", async () => {
    vi.useFakeTimers();
    const calls = fakeList();
    const client = cachedHistory([]);
    const sync = new LiveSync(client, () => filters);
    await sync.applyBatch([makeReceivedEvent(id(1), 1)]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    await sync.applyBatch([makeReceivedEvent(id(2), 2)]);
    expect(count(client)).toBe("2 of 2");
    calls[0]?.resolve({ data: [row(1)], next_cursor: null, facets: { ...facets, state: { RECEIVED: 1 } } });
    await vi.advanceTimersByTimeAsync(0);
    expect(count(client)).toBe("2 of 2");
    // The refresh the second intent queued read after it: taken as it is.
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve({ data: [row(2), row(1)], next_cursor: null, facets: { ...facets, state: { RECEIVED: 2 } } });
    await vi.advanceTimersByTimeAsync(0);
    expect(count(client)).toBe("2 of 2");
  });
});

describe("LiveSync: a list still loading when the stream speaks", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  const load = (client: QueryClient, rows: Intent[]) =>
    client.setQueryData<IntentPages>(queryKeys.intents.list(filters), {
      pages: [{ data: rows, next_cursor: null, facets }],
      pageParams: [null],
    });

  it("shows an intent whose INTENT_RECEIVED arrived before the list (read before it) had loaded", async () => {
    const client = new QueryClient();
    const sync = new LiveSync(client, () => filters);
    await sync.applyBatch([makeReceivedEvent(id(2), 2)]);
    load(client, [row(1)]);
    await settle();
    expect(shown(client)).toEqual([id(2), id(1)]);
    const state = client.getQueryData<IntentPages>(queryKeys.intents.list(filters))?.pages[0]?.facets.state;
    expect(state).toEqual({ RECEIVED: 1 });
  });

  it("reads the newest page again when a catch-up came back before the list had loaded", async () => {
    const calls = fakeList();
    const client = new QueryClient();
    const sync = new LiveSync(client, () => filters);
    const caught = sync.catchUp();
    await settle();
    calls[0]?.resolve({ data: [row(3)], next_cursor: null, facets });
    await caught;
    load(client, [row(1)]);
    await settle();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve({ data: [row(3), row(1)], next_cursor: null, facets });
    await settle();
    await settle();
    expect(shown(client)).toEqual([id(3), id(1)]);
  });
});
