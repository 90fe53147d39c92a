import type { BrowserContext, Page } from "playwright-core";

/** One first sighting in the page: a history row in a state, or a detail timeline entry. */
export interface DomSighting {
  kind: "history" | "detail";
  intentId: string;
  /** history: the row's state; detail: the timeline entry's seq_num. */
  key: string;
  /** detail only: the entry's message type. */
  messageType?: string;
  /** Wall time in the page: `performance.timeOrigin + performance.now()` inside the MutationObserver callback. */
  at: number;
}

const BINDING = "__benchDomSightings";
const LONG_TASKS = "__benchLongTasks";

/** A task that held the page's main thread 50 ms or more (Long Tasks API), in wall time as the sightings. */
export interface LongTask {
  start: number;
  duration: number;
}

/**
 * Plain JS (a string, so tsx's keepNames helpers never reach the page). A MutationObserver on the
 * whole document; after every batch of DOM changes it notes each (history row id, state) and each
 * (detail intent, timeline seq) it has not seen before, with the time of the callback. The callback
 * runs as a microtask right after the change, before the frame is painted: this is "in the DOM",
 * at most one frame ahead of "on screen".
 */
const PROBE = `(() => {
  performance.setResourceTimingBufferSize(100000);
  const seen = new Set();
  const clock = () => performance.timeOrigin + performance.now();
  const scan = () => {
    const at = clock();
    const found = [];
    for (const row of document.querySelectorAll("tr[data-intent-id]")) {
      const id = row.getAttribute("data-intent-id");
      const state = row.querySelector("[data-state]")?.getAttribute("data-state");
      if (!id || !state || seen.has("h " + id + " " + state)) continue;
      seen.add("h " + id + " " + state);
      found.push({ kind: "history", intentId: id, key: state, at });
    }
    if (/^\\/intents\\/[^/]+$/.test(location.pathname)) {
      // The entry names its intent: in an in-app navigation the URL and the timeline do not change in the same frame.
      for (const item of document.querySelectorAll("li[data-seq][data-intent-id]")) {
        const id = item.getAttribute("data-intent-id");
        const seq = item.getAttribute("data-seq");
        if (!id || !seq || seen.has("d " + id + " " + seq)) continue;
        seen.add("d " + id + " " + seq);
        found.push({ kind: "detail", intentId: id, key: seq, messageType: item.getAttribute("data-message-type") ?? "", at });
      }
    }
    if (found.length > 0) window.${BINDING}(JSON.stringify(found));
  };
  new MutationObserver(scan).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state", "data-seq"],
  });
  new PerformanceObserver((list) => {
    const tasks = list.getEntries().map((entry) => ({ start: performance.timeOrigin + entry.startTime, duration: entry.duration }));
    window.${LONG_TASKS}(JSON.stringify(tasks));
  }).observe({ type: "longtask", buffered: true });
})();`;

/** One fetch of a single intent through the BFF (`/api/oms/intents/{id}`), from the page's resource timing. */
export interface IntentFetch {
  intentId: string;
  /** Wall times, as the probe's. */
  startedAt: number;
  /** When the request went out: later than `startedAt` while the browser queued it for a connection. */
  sentAt: number;
  endedAt: number;
}

/** The page's single-intent fetches so far (the history fetches each new intent it hears of). */
export async function intentFetches(page: Page): Promise<IntentFetch[]> {
  const entries = (await page.evaluate(`performance.getEntriesByType("resource").map((entry) => ({
    name: entry.name, startedAt: performance.timeOrigin + entry.startTime,
    sentAt: performance.timeOrigin + entry.requestStart, endedAt: performance.timeOrigin + entry.responseEnd,
  }))`)) as { name: string; startedAt: number; sentAt: number; endedAt: number }[];
  return entries.flatMap(({ name, startedAt, sentAt, endedAt }) => {
    const match = /\/api\/oms\/intents\/([^/?]+)$/.exec(new URL(name).pathname);
    return match?.[1] ? [{ intentId: decodeURIComponent(match[1]), startedAt, sentAt, endedAt }] : [];
  });
}

const STREAM_FRAMES = "__benchStreamFrames";

/** An intent event as it reached the page's JavaScript through the tab's stream (`/api/oms/stream`). */
export interface StreamFrame {
  intentId: string;
  seq: number;
  /** Wall time the chunk holding it was read, as the sightings. */
  at: number;
}

/**
 * Plain JS: wraps `fetch` so the body of the tab's stream is teed; each chunk read from the copy is scanned for
 * the events it carries (intent id and seq of each `intent_event` frame). Only for a page whose own delivery is in
 * question: it costs a binding call per chunk.
 */
const STREAM_PROBE = `(() => {
  const original = window.fetch.bind(window);
  const pattern = /"intent_id":"([^"]+)"[^\\n]*?"seq_num":(\\d+)/g;
  window.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes("/api/oms/stream") || !response.body) return response;
    const [mine, theirs] = response.body.tee();
    (async () => {
      const reader = mine.getReader();
      const decoder = new TextDecoder();
      let carry = "";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const at = performance.timeOrigin + performance.now();
        const text = carry + decoder.decode(value, { stream: true });
        const cut = text.lastIndexOf("\\n");
        carry = text.slice(cut + 1);
        const frames = [];
        for (const match of text.slice(0, cut + 1).matchAll(pattern)) frames.push({ intentId: match[1], seq: Number(match[2]), at });
        if (frames.length > 0) window.${STREAM_FRAMES}(JSON.stringify(frames));
      }
    })().catch(() => undefined);
    return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
})();`;

/**
 * Installs the probe in every page of the context (before any navigation) and returns what it reports,
 * appended to `sightings` (several contexts can report into one list); the page's long tasks go to `longTasks`,
 * and with `streamFrames` each event's arrival through the tab's stream.
 */
export async function installDomProbe(
  context: BrowserContext,
  sightings: DomSighting[] = [],
  longTasks: LongTask[] = [],
  streamFrames?: StreamFrame[],
): Promise<DomSighting[]> {
  await context.exposeFunction(BINDING, (json: string) => {
    sightings.push(...(JSON.parse(json) as DomSighting[]));
  });
  await context.exposeFunction(LONG_TASKS, (json: string) => {
    longTasks.push(...(JSON.parse(json) as LongTask[]));
  });
  await context.addInitScript({ content: PROBE });
  if (streamFrames) {
    await context.exposeFunction(STREAM_FRAMES, (json: string) => {
      streamFrames.push(...(JSON.parse(json) as StreamFrame[]));
    });
    await context.addInitScript({ content: STREAM_PROBE });
  }
  return sightings;
}

/**
 * Animation frames the page got in 5 s: its events wait for one (or the live hook's fallback timer), so a page
 * Chromium throttles (a background tab, a starved compositor) shows here first.
 */
export async function frameRate(page: Page): Promise<string> {
  return page.evaluate<string>(`new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    function tick() {
      frames++;
      if (performance.now() - start < 5000) requestAnimationFrame(tick);
      else resolve(frames + " animation frames in 5 s (" + document.visibilityState + ")");
    }
    requestAnimationFrame(tick);
  })`);
}

/** Browser wall clock (the probe's clock) minus the bench's `Date.now()`: both are this machine's clock. */
export async function clockSkew(page: Page): Promise<number> {
  const before = Date.now();
  const inPage = await page.evaluate("performance.timeOrigin + performance.now()");
  const after = Date.now();
  return Number(inPage) - (before + after) / 2;
}
