import { type LoadOptions, type LoadResult, runLoad, warmUp } from "./lib/load";
import { startOms } from "./lib/oms";
import type { World } from "./lib/world";

/**
 * Issue 22's scale-out figure: GET /defix/intents/{id} served by `processes` OMS processes on one
 * PostgreSQL database (what `OMS_PROCESSES` runs), the connections split evenly and the runs concurrent.
 * `loadFor(url)` builds the same request mix as the single-process run against one process's URL.
 */
export async function measureScaleOut(
  world: World,
  databaseUrl: string,
  processes: number,
  loadFor: (url: string, connections: number) => LoadOptions,
  connections: number,
): Promise<LoadResult & { processes: number }> {
  const started = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      startOms(world, { databaseUrl, workers: 0, name: `oms-scale-${i + 1}` }),
    ),
  );
  try {
    const perProcess = Math.max(1, Math.floor(connections / processes));
    const loads = started.map((oms) => loadFor(oms.url, perProcess));
    await Promise.all(loads.map((load) => warmUp(load)));
    const results = await Promise.all(loads.map((load) => runLoad(load)));
    const sum = (pick: (result: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0);
    const status: Record<string, number> = {};
    for (const result of results) {
      for (const [code, count] of Object.entries(result.status)) status[code] = (status[code] ?? 0) + count;
    }
    return {
      processes,
      rps: sum((r) => r.rps),
      // Percentiles do not add up: the worst process's is the honest bound.
      p50: Math.max(...results.map((r) => r.p50)),
      p99: Math.max(...results.map((r) => r.p99)),
      mean:
        sum((r) => r.mean * r.total) /
        Math.max(
          1,
          sum((r) => r.total),
        ),
      total: sum((r) => r.total),
      non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors),
      timeouts: sum((r) => r.timeouts),
      status,
      durationSec: Math.max(...results.map((r) => r.durationSec)),
    };
  } finally {
    await Promise.all(started.map((oms) => oms.stop()));
  }
}
