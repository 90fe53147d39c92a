import { readdirSync, readFileSync } from "node:fs";
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

/** CPU time so far of every process whose command name is `name` (e.g. PostgreSQL's server and backends), in ms. */
export function cpuMsOf(name: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) total += cpuMs(Number(entry));
    } catch (error) {
      // A process that ended between the listing and the read: its time left with it.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" && (error as NodeJS.ErrnoException).code !== "ESRCH") {
        throw error;
      }
    }
  }
  return total;
}

/** The machine's CPU counters (/proc/stat, all cores): busy and total ticks. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  // idle and iowait are the 4th and 5th columns.
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

export interface CpuLoadResult extends LoadResult {
  /** The server process's CPU per answered request, in µs. */
  cpuUsPerRequest: number;
  /** PostgreSQL's processes' CPU per answered request, in µs (0 when none runs here). */
  postgresUsPerRequest: number;
  /** How busy the whole machine was during the run, 0–100 % of all cores. */
  machineBusyPercent: number;
}

/**
 * A load run with the server's CPU per request. On a machine shared with other work, req/s moves with
 * whatever else runs; CPU per request moves far less, so a ratio of two of them measured in the same
 * run compares the code, not the moment.
 */
export async function withCpu(pid: number, run: () => Promise<LoadResult>): Promise<CpuLoadResult> {
  const before = cpuMs(pid);
  const window = cpuWindow();
  const result = await run();
  const used = cpuMs(pid) - before;
  const { postgresMs, machineBusyPercent } = window.stop();
  const perRequest = (ms: number) => (result.total > 0 ? (ms * 1000) / result.total : 0);
  return {
    ...result,
    cpuUsPerRequest: perRequest(used),
    postgresUsPerRequest: perRequest(postgresMs),
    machineBusyPercent,
  };
}

/** What PostgreSQL's processes and the whole machine used from now until `stop()`. */
export function cpuWindow(): { stop(): { postgresMs: number; machineBusyPercent: number } } {
  const postgresBefore = cpuMsOf("postgres");
  const machineBefore = machineTicks();
  return {
    stop() {
      const postgresMs = cpuMsOf("postgres") - postgresBefore;
      const machineAfter = machineTicks();
      const elapsed = machineAfter.total - machineBefore.total;
      const machineBusyPercent = elapsed > 0 ? ((machineAfter.busy - machineBefore.busy) * 100) / elapsed : 0;
      return { postgresMs, machineBusyPercent };
    },
  };
}
