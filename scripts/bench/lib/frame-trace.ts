/**
 * Per-frame main-thread time from a Chromium trace (`browser.startTracing` with the devtools.timeline
 * categories). Frames are the intervals between the renderer main thread's `BeginMainThreadFrame`
 * events; every complete event's self time (its duration less its children's) goes to the frame in which
 * it starts, under the category of the nearest categorized event around it, as DevTools' summary does.
 * A long task therefore lands in the one frame it held up. Durations are the thread's CPU time (`tdur`)
 * where the trace has it, so time the renderer spent waiting for a core on a busy machine is not counted
 * as work; `clock: "wall"` uses `dur` instead.
 */
export const TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
];

export type FrameCategory = "script" | "styleLayout" | "paint";

const CATEGORY: Readonly<Record<string, FrameCategory>> = {
  FunctionCall: "script",
  EvaluateScript: "script",
  "v8.evaluateModule": "script",
  TimerFire: "script",
  FireAnimationFrame: "script",
  FireIdleCallback: "script",
  RunMicrotasks: "script",
  EventDispatch: "script",
  MajorGC: "script",
  MinorGC: "script",
  "V8.GC_SCAVENGER": "script",
  UpdateLayoutTree: "styleLayout",
  RecalculateStyles: "styleLayout",
  Layout: "styleLayout",
  PrePaint: "paint",
  Paint: "paint",
  Layerize: "paint",
  UpdateLayer: "paint",
  Commit: "paint",
};

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: {
    name?: string;
    data?: {
      functionName?: string;
      url?: string;
      /** `TracingStartedInBrowser`: the page traced, by frame. */
      frames?: { processId?: number; isOutermostMainFrame?: boolean }[];
    };
  };
}

export interface FrameTimes {
  /** Milliseconds per frame, one entry per frame, for each category. */
  script: number[];
  styleLayout: number[];
  paint: number[];
  /** Script time by entry point (`FunctionCall` function @ file), largest first, ms over the whole trace. */
  topEntryPoints: { name: string; ms: number }[];
}

/**
 * The page under test's renderer main thread: in the process of the page the trace was started for (its
 * `TracingStartedInBrowser` event names it) when there is one, else the renderer main thread that began the most frames.
 * With two tabs open, the other one may begin more frames (a page loading, an animation) than the page traced.
 */
function mainThread(events: readonly TraceEvent[]): string | undefined {
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args?.name ?? "");
  const traced = events
    .find((e) => e.name === "TracingStartedInBrowser")
    ?.args?.data?.frames?.find((frame) => frame.isOutermostMainFrame)?.processId;
  const frames = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === "BeginMainThreadFrame" && names.get(key) === "CrRendererMain" && (traced ?? e.pid) === e.pid)
      frames.set(key, (frames.get(key) ?? 0) + 1);
  }
  return [...frames].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function frameIndex(starts: readonly number[], ts: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((starts[mid] ?? 0) <= ts) low = mid;
    else high = mid - 1;
  }
  return low;
}

export function frameTimes(trace: unknown, clock: "thread" | "wall" = "thread"): FrameTimes {
  const events = (Array.isArray(trace) ? trace : (trace as { traceEvents: TraceEvent[] }).traceEvents) as TraceEvent[];
  const thread = mainThread(events);
  const onThread = events.filter((e) => `${e.pid}:${e.tid}` === thread);
  const starts = onThread
    .filter((e) => e.name === "BeginMainThreadFrame")
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const count = Math.max(0, starts.length - 1);
  const result: FrameTimes = {
    script: new Array<number>(count).fill(0),
    styleLayout: new Array<number>(count).fill(0),
    paint: new Array<number>(count).fill(0),
    topEntryPoints: [],
  };
  const first = starts[0] ?? 0;
  const last = starts.at(-1) ?? 0;
  const complete = onThread
    .filter((e) => e.ph === "X" && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const stack: { end: number; category: FrameCategory | undefined; self: number; ts: number }[] = [];
  const done: { ts: number; category: FrameCategory | undefined; self: number }[] = [];
  const entryPoints = new Map<string, number>();
  for (const e of complete) {
    const dur = e.dur ?? 0;
    const cost = clock === "thread" ? (e.tdur ?? dur) : dur;
    while (stack.length > 0 && (stack.at(-1)?.end ?? 0) <= e.ts) done.push(stack.pop() as (typeof stack)[number]);
    const parent = stack.at(-1);
    const category = CATEGORY[e.name] ?? parent?.category;
    if (parent && parent.end > e.ts) parent.self -= cost;
    stack.push({ end: e.ts + dur, category, self: cost, ts: e.ts });
    if (e.name === "FunctionCall" && e.ts >= first && e.ts < last) {
      const data = e.args?.data;
      const name = `${data?.functionName || "(anonymous)"} @ ${(data?.url ?? "").split("/").at(-1) ?? ""}`;
      entryPoints.set(name, (entryPoints.get(name) ?? 0) + cost / 1000);
    }
  }
  done.push(...stack);
  for (const slice of done) {
    if (slice.category === undefined || slice.ts < first || slice.ts >= last) continue;
    const frame = frameIndex(starts, slice.ts);
    result[slice.category][frame] = (result[slice.category][frame] ?? 0) + Math.max(0, slice.self) / 1000;
  }
  result.topEntryPoints = [...entryPoints]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => ({ name, ms }));
  return result;
}

/** One display refresh at 60 Hz, the rate headless Chromium paces its frames at. */
export const REFRESH_MS = 1000 / 60;

export interface FrameGaps {
  frames: number;
  /** Gaps between successive frames, ms. */
  p50: number;
  p95: number;
  max: number;
  /** The p95 gap in whole refresh intervals: 1 is a frame on time, 2 one refresh with no frame, … */
  p95Refreshes: number;
  /** Refreshes that produced no frame, over the whole run. */
  dropped: number;
}

/**
 * Frame pacing from `requestAnimationFrame` timestamps. They are vsync-aligned but coarsened (0.1 ms without
 * cross-origin isolation), so frames on time at 60 Hz read 16.6–16.8 ms apart: each gap counts as the nearest whole
 * number of refresh intervals, and a frame is dropped for every interval beyond the first.
 */
export function frameGaps(timestamps: readonly number[], refreshMs = REFRESH_MS): FrameGaps {
  const gaps = timestamps
    .slice(1)
    .map((time, i) => time - (timestamps[i] ?? time))
    .sort((a, b) => a - b);
  const at = (q: number): number => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0;
  const refreshes = (gap: number): number => Math.max(1, Math.round(gap / refreshMs));
  return {
    frames: gaps.length,
    p50: at(0.5),
    p95: at(0.95),
    max: gaps.at(-1) ?? 0,
    p95Refreshes: gaps.length === 0 ? 0 : refreshes(at(0.95)),
    dropped: gaps.reduce((sum, gap) => sum + refreshes(gap) - 1, 0),
  };
}
