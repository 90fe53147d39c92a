import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import type { IntentEvent } from "../../lib/defix";
import type { Database } from "../store/schema";
import { createEventBus } from "./event-bus";

const silent = { warn: () => undefined, error: () => undefined };
const noDb = {} as Kysely<Database>;

function event(n: number, at = new Date()): IntentEvent {
  return {
    event_id: `e-${n}`,
    intent_id: "i-1",
    execution_id: null,
    message_type: "INTENT_ACKED",
    seq_num: n,
    payload: { root: "0x", hooks: [] },
    created_at: at.toISOString(),
  };
}

describe("event bus", () => {
  it("delivers each event once to every listener", () => {
    const bus = createEventBus({ db: noDb, pollMs: null, log: silent });
    const got: string[] = [];
    bus.subscribe((e) => got.push(e.event_id));
    bus.publish([event(1), event(2)]);
    bus.publish([event(2)]);
    expect(got).toEqual(["e-1", "e-2"]);
  });

  it("keeps no memory of events published while nobody listens (a busy OMS without SSE clients)", () => {
    const bus = createEventBus({ db: noDb, pollMs: null, log: silent });
    for (let i = 0; i < 50_000; i++) bus.publish([event(i)]);
    expect(bus.rememberedCount()).toBe(0);
  });

  it("remembers a bounded number of ids while listeners stay connected, without waiting for a poll", () => {
    const bus = createEventBus({ db: noDb, pollMs: null, log: silent });
    bus.subscribe(() => undefined);
    for (let i = 0; i < 30_000; i++) bus.publish([event(i)]);
    expect(bus.rememberedCount()).toBeLessThanOrEqual(10_001);
    // The newest are the ones kept: a read's copy of one is still dropped.
    const got: string[] = [];
    bus.subscribe((e) => got.push(e.event_id));
    bus.publish([event(29_999)]);
    expect(got).toEqual([]);
  });

  it("remembers by delivery, whatever the event's own time: a just-delivered old step is still de-duplicated", () => {
    const bus = createEventBus({ db: noDb, pollMs: null, log: silent });
    const got: string[] = [];
    bus.subscribe((e) => got.push(e.event_id));
    for (let i = 0; i < 10_000; i++) bus.publish([event(i)]);
    // A deferred step keeps its own (earlier) time; the bound is reached, so every delivery now prunes.
    bus.publish([event(-1, new Date(Date.now() - 3_600_000))]);
    for (let i = 10_000; i < 10_100; i++) bus.publish([event(i)]);
    got.length = 0;
    bus.publish([event(-1, new Date(Date.now() - 3_600_000))]);
    expect(got).toEqual([]);
  });
});
