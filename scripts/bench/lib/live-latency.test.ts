import { describe, expect, it } from "vitest";
import type { DomSighting } from "./dom-probe";
import { type CommittedEvent, liveDetailSightings, newRowPath, pairSightings, slowDetailSamples } from "./live-latency";

const at = (ms: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, 0, ms)).toISOString();
const t = (ms: number) => Date.parse(at(ms));

const events = new Map<string, CommittedEvent[]>([
  [
    "a",
    [
      { seq_num: 1, message_type: "INTENT_RECEIVED", created_at: at(0) },
      { seq_num: 2, message_type: "INTENT_ACKED", created_at: at(5) },
      { seq_num: 3, message_type: "TX_MINED", created_at: at(900) },
      { seq_num: 4, message_type: "INTENT_COMPLETED", created_at: at(950) },
    ],
  ],
]);

describe("pairSightings", () => {
  it("pairs each first sighting with its commit and leaves out what the detail page loaded rather than streamed", () => {
    const sightings: DomSighting[] = [
      { kind: "history", intentId: "a", key: "RECEIVED", at: t(120) },
      { kind: "history", intentId: "a", key: "COMPLETED", at: t(1_010) },
      { kind: "history", intentId: "a", key: "COMPLETED", at: t(2_000) },
      // The detail page rendered at 400 ms with seq 1 and 2 already committed, then streamed 3 and 4.
      { kind: "detail", intentId: "a", key: "1", messageType: "INTENT_RECEIVED", at: t(400) },
      { kind: "detail", intentId: "a", key: "2", messageType: "INTENT_ACKED", at: t(400) },
      { kind: "detail", intentId: "a", key: "3", messageType: "TX_MINED", at: t(960) },
      { kind: "detail", intentId: "a", key: "4", messageType: "INTENT_COMPLETED", at: t(1_000) },
    ];
    const samples = pairSightings(events, sightings, new Map([["a", t(880)]]));
    expect(samples.history).toEqual([120, 60]);
    expect(samples.historyUnseen).toBe(1);
    expect(samples.detail).toEqual([60, 50]);
    expect(samples.detailPreloaded).toBe(2);
    expect(samples.inclusionToCompleted).toEqual([130]);
    expect(samples.inclusionToCommit).toEqual([70]);
    expect(samples.completedCommitToRow).toEqual([60]);
    // What the bench counts while it runs, to decide whether it has enough: the same two live entries.
    expect(liveDetailSightings(sightings)).toBe(samples.detail.length);
    expect(liveDetailSightings(sightings.filter((s) => s.kind === "history" || s.at <= t(400)))).toBe(0);
  });

  it("starts from the event's delivery by the OMS's stream when the bench has it, its step's time when not", () => {
    // ACKED was a queued step: stamped at 5 ms, committed and delivered at 110 ms.
    const delivered = new Map<string, CommittedEvent[]>([
      [
        "a",
        [
          { seq_num: 1, message_type: "INTENT_RECEIVED", created_at: at(0), delivered_at: t(3) },
          { seq_num: 2, message_type: "INTENT_ACKED", created_at: at(5), delivered_at: t(110) },
        ],
      ],
    ]);
    const sightings: DomSighting[] = [
      { kind: "history", intentId: "a", key: "RECEIVED", at: t(120) },
      { kind: "history", intentId: "a", key: "ACKED", at: t(200) },
    ];
    expect(pairSightings(delivered, sightings, new Map()).history).toEqual([117, 90]);
    expect(pairSightings(events, sightings, new Map()).history).toEqual([120, 195]);
  });
});

describe("newRowPath", () => {
  it("splits a new row's time at the page's fetch of the intent, and counts rows a poll brought", () => {
    const withB = new Map([...events, ["b", [{ seq_num: 1, message_type: "INTENT_RECEIVED", created_at: at(0) }]]]);
    const sightings: DomSighting[] = [
      { kind: "history", intentId: "a", key: "RECEIVED", at: t(400) },
      { kind: "history", intentId: "b", key: "RECEIVED", at: t(300) },
    ];
    const fetches = [
      { intentId: "a", startedAt: t(150), sentAt: t(160), endedAt: t(380) },
      { intentId: "a", startedAt: t(900), sentAt: t(900), endedAt: t(950) },
      // b's fetch ended after its row showed: the row came another way.
      { intentId: "b", startedAt: t(250), sentAt: t(250), endedAt: t(500) },
    ];
    expect(newRowPath(withB, sightings, fetches)).toEqual({
      commitToFetch: [150],
      fetch: [230],
      queued: [10],
      fetchToRow: [20],
      withoutFetch: 1,
    });
  });
});

describe("slowDetailSamples", () => {
  it("lays each event shown past the threshold against its visit's stream and reads, the slowest first", () => {
    const sightings: DomSighting[] = [
      { kind: "detail", intentId: "a", key: "1", messageType: "INTENT_RECEIVED", at: t(700) },
      { kind: "detail", intentId: "a", key: "2", messageType: "INTENT_ACKED", at: t(700) },
      { kind: "detail", intentId: "a", key: "3", messageType: "TX_MINED", at: t(1_700) },
      { kind: "detail", intentId: "a", key: "4", messageType: "INTENT_COMPLETED", at: t(1_000) },
    ];
    const visit = {
      intentId: "a",
      openedAt: t(-100),
      calls: [
        { path: "/api/oms/intents/a/events", askedAt: t(300), answeredAt: t(350) },
        { path: "/api/oms/stream", askedAt: t(320), answeredAt: null },
        { path: "/api/oms/alerts", askedAt: t(330), answeredAt: t(340) },
      ],
    };
    // Long tasks of 300 ms from 1,000 ms and of 100 ms from 1,650 ms: 300 + 50 ms of the wait from 900 to 1,700 ms.
    const tasks = [
      { start: t(1_000), duration: 300 },
      { start: t(1_650), duration: 100 },
      { start: t(2_000), duration: 500 },
    ];
    const frames = [{ intentId: "a", seq: 3, at: t(1_550) }];
    const slow = slowDetailSamples(events, sightings, [visit], 100, tasks, frames);
    // seq 1 and 2 were committed before the timeline first showed (loaded); seq 4 was shown 50 ms after its commit.
    expect(slow).toEqual([
      {
        intentId: "a",
        messageType: "TX_MINED",
        latency: 800,
        committed: 1_000,
        shown: 1_800,
        stream: { asked: 420, answered: null },
        reads: ["/events 400→450"],
        busy: 350,
        arrived: 1_650,
      },
    ]);
  });
});
