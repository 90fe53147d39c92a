import { STATE_OF_MESSAGE } from "../../../lib/defix/states";
import type { DomSighting } from "./dom-probe";

/** What the bench needs of one OMS event (`GET /defix/intents/{id}/events`). */
export interface CommittedEvent {
  seq_num: number;
  message_type: string;
  created_at: string;
}

export interface LatencySamples {
  /** Commit → history row shows the state, one per (intent, state) seen. */
  history: number[];
  /** The same by state: a new row (RECEIVED) and a row that changes take different paths in the page. */
  historyByState: Map<string, number[]>;
  /** State transitions the OMS committed that the history never showed (skipped in a batch, or row out of view). */
  historyUnseen: number;
  /** Commit → detail timeline shows the event, for events committed after that page first showed its timeline. */
  detail: number[];
  /** Events already committed when the detail page first rendered (loaded, not live: left out). */
  detailPreloaded: number;
  /** Block first seen → history row shows COMPLETED. */
  inclusionToCompleted: number[];
  /** The two parts of it: block first seen → the OMS commits INTENT_COMPLETED, and that commit → the row. */
  inclusionToCommit: number[];
  completedCommitToRow: number[];
}

/**
 * Pairs the page's first sightings with the OMS's commit times. The commit time is the event's own
 * `created_at`, stamped by the OMS just before its INSERT (1 ms resolution), so each figure includes the
 * insert; bench, OMS and browser share one machine's wall clock.
 */
export function pairSightings(
  events: ReadonlyMap<string, readonly CommittedEvent[]>,
  sightings: readonly DomSighting[],
  includedAt: ReadonlyMap<string, number>,
): LatencySamples {
  const seen = new Map<string, number>();
  for (const s of sightings) {
    const key = `${s.kind} ${s.intentId} ${s.key}`;
    seen.set(key, Math.min(seen.get(key) ?? Number.POSITIVE_INFINITY, s.at));
  }
  const detailReady = new Map<string, number>();
  for (const s of sightings)
    if (s.kind === "detail")
      detailReady.set(s.intentId, Math.min(detailReady.get(s.intentId) ?? Number.POSITIVE_INFINITY, s.at));

  const samples: LatencySamples = {
    history: [],
    historyByState: new Map(),
    historyUnseen: 0,
    detail: [],
    detailPreloaded: 0,
    inclusionToCompleted: [],
    inclusionToCommit: [],
    completedCommitToRow: [],
  };
  for (const [intentId, list] of events) {
    for (const event of list) {
      const committedAt = Date.parse(event.created_at);
      const state = STATE_OF_MESSAGE[event.message_type as keyof typeof STATE_OF_MESSAGE];
      if (state) {
        const shownAt = seen.get(`history ${intentId} ${state}`);
        if (shownAt === undefined) samples.historyUnseen++;
        else {
          samples.history.push(shownAt - committedAt);
          samples.historyByState.set(state, [...(samples.historyByState.get(state) ?? []), shownAt - committedAt]);
        }
      }
      const ready = detailReady.get(intentId);
      const detailAt = seen.get(`detail ${intentId} ${event.seq_num}`);
      if (ready === undefined || detailAt === undefined) continue;
      if (committedAt <= ready) samples.detailPreloaded++;
      else samples.detail.push(detailAt - committedAt);
    }
    const included = includedAt.get(intentId);
    const completedAt = seen.get(`history ${intentId} COMPLETED`);
    const committed = list.find((event) => event.message_type === "INTENT_COMPLETED");
    if (included === undefined || completedAt === undefined || committed === undefined) continue;
    samples.inclusionToCompleted.push(completedAt - included);
    samples.inclusionToCommit.push(Date.parse(committed.created_at) - included);
    samples.completedCommitToRow.push(completedAt - Date.parse(committed.created_at));
  }
  return samples;
}
