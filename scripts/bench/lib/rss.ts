import { readFileSync } from "node:fs";

/** Resident set size of a process in MiB, from /proc (Linux); null once the process is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    // The process exited between samples: there is nothing left to measure.
    return null;
  }
}

export interface RssSummary {
  samples: number;
  minMiB: number;
  maxMiB: number;
  meanMiB: number;
}

/** Samples a pid's RSS every `intervalMs` until `stop()`; stop returns the summary. */
export function sampleRss(pid: number, intervalMs = 200): { stop(): RssSummary } {
  const values: number[] = [];
  const take = (): void => {
    const value = rssMiB(pid);
    if (value !== null) values.push(value);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const sum = values.reduce((a, b) => a + b, 0);
      return {
        samples: values.length,
        minMiB: values.length ? Math.min(...values) : 0,
        maxMiB: values.length ? Math.max(...values) : 0,
        meanMiB: values.length ? sum / values.length : 0,
      };
    },
  };
}
