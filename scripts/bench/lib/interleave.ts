import { type CpuLoadResult, withCpu } from "./cpu";
import { type LoadOptions, runLoad } from "./load";
import { percentile } from "./report";

/** A server under load: its process (for its CPU) and what to send it. */
export interface LoadTarget {
  pid: number;
  load: LoadOptions;
}

export interface Interleaved {
  /** The measured server over all its windows (req/s over their summed time; p50/p99 the windows' medians). */
  target: CpuLoadResult;
  /** The yardstick over all its windows, the same way. */
  yardstick: CpuLoadResult;
  /** Median over the rounds of the target's req/s to the mean of the yardstick windows just before and after it. */
  ratio: number;
  /** Each round's ratio, in order. */
  ratios: number[];
}

/**
 * Pairs each target window with the yardstick windows on either side of it: on a machine whose speed drifts by
 * half within a minute (seen here), a ratio of a run at the start to a run at the end measures the drift; a ratio
 * of neighbours does not, and the median of the rounds leaves out one window caught by a burst. Both lists in run
 * order; `yardstick` has one window more than `target` (yardstick, target, yardstick, …, yardstick).
 */
export function bracketedRatios(target: readonly number[], yardstick: readonly number[]): number[] {
  if (yardstick.length !== target.length + 1)
    throw new Error(`${target.length} target windows need ${target.length + 1} yardstick windows around them`);
  return target.map((value, round) => {
    const around = ((yardstick[round] ?? 0) + (yardstick[round + 1] ?? 0)) / 2;
    return around > 0 ? value / around : 0;
  });
}

/** Many windows as one: requests over the summed time, CPU per request weighted by requests, latencies' medians. */
export function combineWindows(windows: readonly CpuLoadResult[]): CpuLoadResult {
  const first = windows[0];
  if (first === undefined) throw new Error("no windows to combine");
  const total = windows.reduce((sum, window) => sum + window.total, 0);
  const durationSec = windows.reduce((sum, window) => sum + window.durationSec, 0);
  const weighted = (pick: (window: CpuLoadResult) => number) =>
    total > 0 ? windows.reduce((sum, window) => sum + pick(window) * window.total, 0) / total : 0;
  const status: Record<string, number> = {};
  for (const window of windows)
    for (const [code, count] of Object.entries(window.status)) status[code] = (status[code] ?? 0) + count;
  return {
    rps: durationSec > 0 ? total / durationSec : 0,
    p50: percentile(
      windows.map((window) => window.p50),
      50,
    ),
    p99: percentile(
      windows.map((window) => window.p99),
      50,
    ),
    mean: weighted((window) => window.mean),
    total,
    non2xx: windows.reduce((sum, window) => sum + window.non2xx, 0),
    errors: windows.reduce((sum, window) => sum + window.errors, 0),
    timeouts: windows.reduce((sum, window) => sum + window.timeouts, 0),
    status,
    durationSec,
    cpuUsPerRequest: weighted((window) => window.cpuUsPerRequest),
    postgresUsPerRequest: weighted((window) => window.postgresUsPerRequest),
    machineBusyPercent: percentile(
      windows.map((window) => window.machineBusyPercent),
      50,
    ),
  };
}

/**
 * `rounds` windows of `windowSec` on the target, each between two on the yardstick (both servers already warm):
 * yardstick, target, yardstick, target, …, yardstick.
 */
export async function interleave(
  target: LoadTarget,
  yardstick: LoadTarget,
  rounds: number,
  windowSec: number,
): Promise<Interleaved> {
  const run = (server: LoadTarget) =>
    withCpu(server.pid, () => runLoad({ ...server.load, durationSec: windowSec, amount: undefined }));
  const targetWindows: CpuLoadResult[] = [];
  const yardstickWindows: CpuLoadResult[] = [await run(yardstick)];
  for (let round = 0; round < rounds; round++) {
    targetWindows.push(await run(target));
    yardstickWindows.push(await run(yardstick));
  }
  const ratios = bracketedRatios(
    targetWindows.map((window) => window.rps),
    yardstickWindows.map((window) => window.rps),
  );
  return {
    target: combineWindows(targetWindows),
    yardstick: combineWindows(yardstickWindows),
    ratio: percentile(ratios, 50),
    ratios,
  };
}
