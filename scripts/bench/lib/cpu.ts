import { readFileSync } from "node:fs";
import type { LoadResult } from "./load";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

export interface CpuLoadResult extends LoadResult {
  /** The server process's CPU per answered request, in µs. */
  cpuUsPerRequest: number;
}

/**
 * A load run with the server's CPU per request. On a machine shared with other work, req/s moves with
 * whatever else runs; CPU per request moves far less, so a ratio of two of them measured in the same
 * run compares the code, not the moment.
 */
export async function withCpu(pid: number, run: () => Promise<LoadResult>): Promise<CpuLoadResult> {
  const before = cpuMs(pid);
  const result = await run();
  const used = cpuMs(pid) - before;
  return { ...result, cpuUsPerRequest: result.total > 0 ? (used * 1000) / result.total : 0 };
}
