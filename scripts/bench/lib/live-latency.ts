import { STATE_OF_MESSAGE } from "../../../lib/defix/states";
import type { DomSighting, IntentFetch, LongTask, StreamFrame } from "./dom-probe";

/** What the bench needs of one OMS event (`GET /defix/intents/{id}/events`). */
export interface CommittedEvent {
  seq_num: number;
  message_type: string;
  created_at: string;
  /**
   * When a client of the OMS's own stream received it (bench clock, ms): the OMS delivers an event only after its
   * commit, so this is its commit plus the OMS's fan-out. Without it, the commit time is taken as `created_at`.
   */
  delivered_at?: number;
}

/**
 * The event's commit time. `created_at` is its step's time, stamped before the write: for the steps the engine
 * queues and writes together (ACKED, STAGED, PLANNED: up to `queuedStepMaxMs` later) it is well before the commit,
 * so the first delivery by the OMS's stream is the closer figure when the bench has it.
 */
export const commitTime = (event: CommittedEvent): number => event.delivered_at ?? Date.parse(event.created_at);

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
 * Pairs the page's first sightings with the OMS's commit times (`commitTime`); bench, OMS and browser share one
 * machine's wall clock.
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
  const detailReady = firstDetailRender(sightings);

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
      const committedAt = commitTime(event);
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
    samples.inclusionToCommit.push(commitTime(committed) - included);
    samples.completedCommitToRow.push(completedAt - commitTime(committed));
  }
  return samples;
}

/** Where a new history row's time goes: the page hears of the intent, fetches it through the BFF, then draws it. */
export interface NewRowPath {
  /** RECEIVED commit → the page starts fetching the intent (stream delivery, batching, throttling). */
  commitToFetch: number[];
  /** The fetch itself (`/api/oms/intents/{id}`), from the call to the answer. */
  fetch: number[];
  /** The part of it the browser held the request back (no free connection to the host). */
  queued: number[];
  /** Fetch answered → the row is in the DOM. */
  fetchToRow: number[];
  /** New rows shown without a single-intent fetch first (built from the INTENT_RECEIVED frame, or a page poll). */
  withoutFetch: number;
}

export function newRowPath(
  events: ReadonlyMap<string, readonly CommittedEvent[]>,
  sightings: readonly DomSighting[],
  fetches: readonly IntentFetch[],
): NewRowPath {
  const firstFetch = new Map<string, IntentFetch>();
  for (const f of fetches)
    if ((firstFetch.get(f.intentId)?.startedAt ?? Number.POSITIVE_INFINITY) > f.startedAt)
      firstFetch.set(f.intentId, f);
  const shown = new Map<string, number>();
  for (const s of sightings)
    if (s.kind === "history" && s.key === "RECEIVED")
      shown.set(s.intentId, Math.min(shown.get(s.intentId) ?? Number.POSITIVE_INFINITY, s.at));
  const path: NewRowPath = { commitToFetch: [], fetch: [], queued: [], fetchToRow: [], withoutFetch: 0 };
  for (const [intentId, list] of events) {
    const received = list.find((event) => event.message_type === "INTENT_RECEIVED");
    const shownAt = shown.get(intentId);
    if (!received || shownAt === undefined) continue;
    const fetched = firstFetch.get(intentId);
    if (!fetched || fetched.endedAt > shownAt) {
      path.withoutFetch++;
      continue;
    }
    path.commitToFetch.push(fetched.startedAt - commitTime(received));
    path.fetch.push(fetched.endedAt - fetched.startedAt);
    path.queued.push(fetched.sentAt - fetched.startedAt);
    path.fetchToRow.push(shownAt - fetched.endedAt);
  }
  return path;
}

/** One visit of the detail page: when the bench opened it, and its calls to the BFF (bench clock). */
export interface DetailVisit {
  intentId: string;
  openedAt: number;
  calls: { path: string; askedAt: number; answeredAt: number | null }[];
}

/** A detail sample past the target, laid against its visit: every time in ms after the visit opened. */
export interface SlowDetailSample {
  intentId: string;
  messageType: string;
  latency: number;
  committed: number;
  shown: number;
  /** The tab's stream: asked for, headers answered (null: never in this visit). */
  stream: { asked: number; answered: number | null } | null;
  /** The intent's event log reads and its own reads: asked → answered. */
  reads: string[];
  /** Of the wait (commit → shown), the time the page's main thread spent in long tasks. */
  busy: number;
  /** When the event reached the page through its stream (null: it did not, in this visit). */
  arrived: number | null;
}

/** How much of [from, to] the tasks cover (they do not overlap: one main thread). */
function coveredBy(tasks: readonly LongTask[], from: number, to: number): number {
  let covered = 0;
  for (const task of tasks)
    covered += Math.max(0, Math.min(to, task.start + task.duration) - Math.max(from, task.start));
  return covered;
}

/**
 * Where the slow detail samples come from: for each live event (as `pairSightings` counts them) shown later than
 * `thresholdMs` after its commit, the visit's stream and reads beside the commit and the sighting (the slowest first).
 */
export function slowDetailSamples(
  events: ReadonlyMap<string, readonly CommittedEvent[]>,
  sightings: readonly DomSighting[],
  visits: readonly DetailVisit[],
  thresholdMs: number,
  longTasks: readonly LongTask[] = [],
  frames: readonly StreamFrame[] = [],
): SlowDetailSample[] {
  const arrivedAt = new Map<string, number>();
  for (const frame of frames) {
    const key = `${frame.intentId} ${frame.seq}`;
    arrivedAt.set(key, Math.min(arrivedAt.get(key) ?? Number.POSITIVE_INFINITY, frame.at));
  }
  const seen = new Map<string, number>();
  const ready = new Map<string, number>();
  for (const s of sightings)
    if (s.kind === "detail") {
      const key = `${s.intentId} ${s.key}`;
      seen.set(key, Math.min(seen.get(key) ?? Number.POSITIVE_INFINITY, s.at));
      ready.set(s.intentId, Math.min(ready.get(s.intentId) ?? Number.POSITIVE_INFINITY, s.at));
    }
  const slow: SlowDetailSample[] = [];
  for (const visit of visits) {
    const at = (time: number) => Math.round(time - visit.openedAt);
    const stream = visit.calls.find((call) => call.path === "/api/oms/stream");
    const reads = visit.calls
      .filter((call) => call.path.startsWith(`/api/oms/intents/${visit.intentId}`))
      .map(
        (call) =>
          `${call.path.slice(`/api/oms/intents/${visit.intentId}`.length) || "/"} ${at(call.askedAt)}→${call.answeredAt === null ? "…" : at(call.answeredAt)}`,
      );
    for (const event of events.get(visit.intentId) ?? []) {
      const shownAt = seen.get(`${visit.intentId} ${event.seq_num}`);
      const committedAt = commitTime(event);
      // As `pairSightings`: an event committed before the timeline first showed was loaded, not streamed.
      const firstShown = ready.get(visit.intentId) ?? Number.POSITIVE_INFINITY;
      if (shownAt === undefined || committedAt <= firstShown || shownAt - committedAt <= thresholdMs) continue;
      slow.push({
        intentId: visit.intentId,
        messageType: event.message_type,
        latency: Math.round(shownAt - committedAt),
        committed: at(committedAt),
        shown: at(shownAt),
        stream: stream
          ? { asked: at(stream.askedAt), answered: stream.answeredAt === null ? null : at(stream.answeredAt) }
          : null,
        reads,
        busy: Math.round(coveredBy(longTasks, committedAt, shownAt)),
        arrived: (() => {
          const arrival = arrivedAt.get(`${visit.intentId} ${event.seq_num}`);
          return arrival === undefined ? null : at(arrival);
        })(),
      });
    }
  }
  return slow.sort((a, b) => b.latency - a.latency);
}

/** When each intent's detail page first showed its timeline (its first entry seen): what was committed later is live. */
function firstDetailRender(sightings: readonly DomSighting[]): Map<string, number> {
  const ready = new Map<string, number>();
  for (const s of sightings)
    if (s.kind === "detail") ready.set(s.intentId, Math.min(ready.get(s.intentId) ?? Number.POSITIVE_INFINITY, s.at));
  return ready;
}

/**
 * Timeline entries that appeared after their page's first render, so far: the live samples the detail figure will
 * have (an entry rendered late though committed before the render would count here and not there; rare). Cheap
 * enough to ask while the bench runs, to decide whether it has enough.
 */
export function liveDetailSightings(sightings: readonly DomSighting[]): number {
  const ready = firstDetailRender(sightings);
  return sightings.filter((s) => s.kind === "detail" && s.at > (ready.get(s.intentId) ?? Number.POSITIVE_INFINITY))
    .length;
}
