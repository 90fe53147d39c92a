import { describe, expect, it } from "vitest";
import { frameGaps, frameTimes, REFRESH_MS } from "./frame-trace";

const MAIN = { pid: 1, tid: 7 };
const meta = [
  { name: "thread_name", ph: "M", ts: 0, pid: 1, tid: 7, args: { name: "CrRendererMain" } },
  { name: "thread_name", ph: "M", ts: 0, pid: 1, tid: 8, args: { name: "Compositor" } },
];
const frame = (ts: number) => ({ name: "BeginMainThreadFrame", ph: "I", ts, ...MAIN });
const slice = (name: string, ts: number, dur: number, tid = 7) => ({ name, ph: "X", ts, dur, pid: 1, tid });

describe("frameTimes", () => {
  it("gives each frame the self time of its script, layout and paint, nested time counted once", () => {
    const trace = {
      traceEvents: [
        ...meta,
        frame(0),
        frame(16_000),
        frame(32_000),
        // Frame 0: a task whose FunctionCall (3 ms) forces a 1 ms layout inside it, then 2 ms of paint.
        slice("RunTask", 1_000, 8_000),
        slice("FunctionCall", 1_000, 3_000),
        slice("Layout", 2_000, 1_000),
        slice("Paint", 5_000, 2_000),
        // Frame 1: microtasks inside a timer: 4 ms of script in all.
        slice("TimerFire", 17_000, 4_000),
        slice("RunMicrotasks", 18_000, 2_000),
        // Another thread's work is not the page's.
        slice("FunctionCall", 17_000, 9_000, 8),
      ],
    };
    const times = frameTimes(trace);
    expect(times.script).toEqual([2, 4]);
    expect(times.styleLayout).toEqual([1, 0]);
    expect(times.paint).toEqual([2, 0]);
  });

  it("picks the renderer main thread that began the most frames", () => {
    const other = { name: "thread_name", ph: "M", ts: 0, pid: 2, tid: 7, args: { name: "CrRendererMain" } };
    const trace = [
      ...meta,
      other,
      frame(0),
      frame(16_000),
      { name: "BeginMainThreadFrame", ph: "I", ts: 5, pid: 2, tid: 7 },
      slice("FunctionCall", 1_000, 5_000),
      { name: "FunctionCall", ph: "X", ts: 1_000, dur: 9_000, pid: 2, tid: 7 },
    ];
    expect(frameTimes(trace).script).toEqual([5]);
  });

  it("takes the traced page's renderer when the trace names it, even if another tab began more frames", () => {
    const other = { name: "thread_name", ph: "M", ts: 0, pid: 2, tid: 7, args: { name: "CrRendererMain" } };
    const started = {
      name: "TracingStartedInBrowser",
      ph: "I",
      ts: 0,
      pid: 9,
      tid: 9,
      args: { data: { frames: [{ processId: 1, isOutermostMainFrame: true }] } },
    };
    const otherFrame = (ts: number) => ({ name: "BeginMainThreadFrame", ph: "I", ts, pid: 2, tid: 7 });
    const trace = [
      ...meta,
      other,
      started,
      frame(0),
      frame(16_000),
      ...[0, 4_000, 8_000, 12_000].map(otherFrame),
      slice("FunctionCall", 1_000, 5_000),
      { name: "FunctionCall", ph: "X", ts: 1_000, dur: 9_000, pid: 2, tid: 7 },
    ];
    expect(frameTimes(trace).script).toEqual([5]);
  });
});

describe("frameTimes clocks", () => {
  it("counts the thread's CPU time by default and the wall time on request", () => {
    const trace = [
      ...meta,
      frame(0),
      frame(16_000),
      { name: "FunctionCall", ph: "X", ts: 1_000, dur: 10_000, tdur: 3_000, pid: 1, tid: 7 },
      { name: "Layout", ph: "X", ts: 2_000, dur: 4_000, tdur: 1_000, pid: 1, tid: 7 },
    ];
    expect(frameTimes(trace).script).toEqual([2]);
    expect(frameTimes(trace, "wall").script).toEqual([6]);
    expect(frameTimes(trace, "wall").styleLayout).toEqual([4]);
  });
});

describe("frameGaps", () => {
  /** Timestamps from 0 with these gaps between them. */
  const paced = (gaps: readonly number[]): number[] => {
    const times = [0];
    for (const gap of gaps) times.push((times.at(-1) ?? 0) + gap);
    return times;
  };

  it("counts coarsened vsync gaps (16.6–16.8 ms) as frames on time", () => {
    const gaps = frameGaps(paced(Array.from({ length: 100 }, (_, i) => [16.7, 16.6, 16.8][i % 3] ?? 16.7)));
    expect(gaps.frames).toBe(100);
    expect(gaps.p95).toBeCloseTo(16.8);
    expect(gaps.p95Refreshes).toBe(1);
    expect(gaps.dropped).toBe(0);
  });

  it("counts each refresh interval without a frame as dropped, and a p95 gap of two intervals as 2", () => {
    const gaps = frameGaps(
      paced([...Array.from({ length: 90 }, () => REFRESH_MS), ...Array.from({ length: 10 }, () => 33.4)]),
    );
    expect(gaps.p95).toBeCloseTo(33.4);
    expect(gaps.p95Refreshes).toBe(2);
    expect(gaps.dropped).toBe(10);
    expect(frameGaps(paced([16.7, 50, 16.7])).dropped).toBe(2);
  });

  it("has no figures without two frames", () => {
    expect(frameGaps([5])).toMatchObject({ frames: 0, p95: 0, p95Refreshes: 0, dropped: 0 });
  });
});
