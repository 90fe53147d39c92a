import { errors, type Page, type Request } from "playwright-core";
import { TERMINAL_STATES } from "../../../lib/defix/states";
import { intentHref } from "../../../lib/format/routes";
import type { DetailVisit, SlowDetailSample } from "./live-latency";

/** How long a visit waits for the page to load, then for the intent's terminal event. */
const DETAIL_LOAD_MS = 15_000;
const DETAIL_VISIT_MS = 5_000;
/** The event types that end an intent (`INTENT_COMPLETED`, …), one per terminal state. */
const TERMINAL_EVENTS: ReadonlySet<string> = new Set(TERMINAL_STATES.map((state) => `INTENT_${state}`));
/** The timeline entries of one intent's terminal events. */
const terminalEntries = (id: string) =>
  [...TERMINAL_EVENTS].map((type) => `li[data-intent-id="${id}"][data-message-type="${type}"]`).join(", ");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type StreamedEvent = { intent_id: string; message_type: string };

/**
 * Intents the engine is driving, from a stream client's events: one past INTENT_RECEIVED seen, none terminal yet. Such
 * an intent's page will see events committed while it is open; the newest submitted one may not, when the engine runs
 * behind (on a busy machine it waited seconds to be acknowledged, and a visit saw nothing live).
 *
 * `events` is the client's list as it grows: each call reads only what arrived since the last one.
 */
export function trackInProgress(events: readonly StreamedEvent[]): () => ReadonlySet<string> {
  const moving = new Set<string>();
  const ended = new Set<string>();
  let read = 0;
  return () => {
    for (; read < events.length; read++) {
      const { intent_id: id, message_type: type } = events[read] as StreamedEvent;
      if (TERMINAL_EVENTS.has(type)) {
        ended.add(id);
        moving.delete(id);
      } else if (type !== "INTENT_RECEIVED" && !ended.has(id)) moving.add(id);
    }
    return moving;
  };
}

/**
 * The detail page opens the newest intent it has not visited that `inProgress` says the engine is driving, waits for
 * its terminal event (or 5 s), then the next; it goes on while the OMS settles the backlog after the last submit.
 */
export async function rotateDetail(
  page: Page,
  submitted: readonly { id: string }[],
  inProgress: () => ReadonlySet<string>,
  isRunning: () => boolean,
  probe: DetailVisit[],
): Promise<number> {
  let visits = 0;
  let timeouts = 0;
  const visited = new Set<string>();
  // Each visit's calls to the BFF, asked and answered (headers) on the bench's clock.
  const asked = new Map<Request, DetailVisit["calls"][number]>();
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    const visit = probe.at(-1);
    if (!visit || !path.startsWith("/api/")) return;
    const call = { path, askedAt: Date.now(), answeredAt: null };
    asked.set(request, call);
    visit.calls.push(call);
  });
  page.on("response", (response) => {
    const call = asked.get(response.request());
    if (call) call.answeredAt = Date.now();
  });
  while (isRunning()) {
    const moving = inProgress();
    const id = submitted.findLast((intent) => !visited.has(intent.id) && moving.has(intent.id))?.id;
    if (id === undefined) {
      await sleep(50);
      continue;
    }
    visited.add(id);
    visits++;
    probe.push({ intentId: id, openedAt: Date.now(), calls: [] });
    try {
      // On a busy machine the page can take long to load: a visit that times out is counted, not fatal.
      await page.goto(intentHref(id), { waitUntil: "domcontentloaded", timeout: DETAIL_LOAD_MS });
      await page.locator(terminalEntries(id)).first().waitFor({ timeout: DETAIL_VISIT_MS });
    } catch (error) {
      if (!(error instanceof errors.TimeoutError)) throw error;
      timeouts++;
    }
  }
  if (timeouts > 0)
    console.log(
      `  ${timeouts} of ${visits} detail visits timed out (load > ${DETAIL_LOAD_MS} ms, or no terminal event in ${DETAIL_VISIT_MS} ms)`,
    );
  return visits;
}

/** The slowest detail samples beside their visit's stream and reads (ms after the visit opened). */
export function printSlowDetail(slow: readonly SlowDetailSample[], targetMs: number): void {
  if (slow.length === 0) return;
  console.log(`  detail samples over ${targetMs} ms: ${slow.length}; the slowest (ms after the visit opened):`);
  for (const sample of slow.slice(0, 8)) {
    const stream = sample.stream
      ? `stream ${sample.stream.asked}→${sample.stream.answered ?? "…"}`
      : "no stream asked in the visit";
    console.log(
      `    ${sample.intentId.slice(0, 8)} ${sample.messageType} ${sample.latency} ms (main thread in long tasks ${sample.busy} ms of it): committed ${sample.committed}, reached the page ${sample.arrived ?? "never"}, shown ${sample.shown}; ${stream}; reads ${sample.reads.join(", ")}`,
    );
  }
}
