import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Intent, IntentList } from "@/lib/defix/intents";
import { queryKeys } from "@/lib/query/keys";
import { at, makeIntent } from "../model/fixtures";
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
