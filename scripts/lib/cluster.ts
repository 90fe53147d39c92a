/**
 * How many processes of each service `startStack` runs, and the rules that make several of them correct.
 * One of each (the default) is today's stack: the process listens on the entry port itself, no proxy.
 */
export interface ClusterShape {
  omsProcesses: number;
  webInstances: number;
}

/** Backend i of a service listens at entry + BACKEND_PORT_GAP + i; the entry port is its round-robin proxy. */
export const BACKEND_PORT_GAP = 10;

export function backendPorts(entryPort: number, count: number): number[] {
  if (count === 1) return [entryPort];
  return Array.from({ length: count }, (_, i) => entryPort + BACKEND_PORT_GAP + i);
}

/**
 * Node flags for each OMS process. On a machine with 2 cores or fewer, V8 collects garbage on the main thread
 * only (`--single-threaded-gc`): its parallel helper threads would otherwise compete for the same two cores with
 * the database, the dashboard and the other services, and a collection waits for them (submit at 50 connections
 * on PostgreSQL, scripts/bench/RESULTS.md 2026-12-04: p99 46–55 → 43–50 ms, less CPU per submit).
 * `OMS_SINGLE_THREADED_GC=1` or `0` decides instead of the core count.
 */
export function omsNodeFlags(cores: number, setting: string | undefined): string[] {
  if (setting !== undefined && setting !== "" && setting !== "0" && setting !== "1") {
    throw new Error(`OMS_SINGLE_THREADED_GC must be 1 or 0 (unset: on with 2 cores or fewer), got ${setting}`);
  }
  const isOn = setting === "1" || ((setting === undefined || setting === "") && cores <= 2);
  return isOn ? ["--single-threaded-gc"] : [];
}

/** Refuses combinations that would run but be wrong, with what to do instead. */
export function checkClusterShape(
  shape: ClusterShape,
  context: { databaseUrl?: string; redisUrl?: string; web: "dev" | "prod" | "none" },
): void {
  for (const [name, value] of Object.entries({
    OMS_PROCESSES: shape.omsProcesses,
    WEB_INSTANCES: shape.webInstances,
  })) {
    if (!Number.isInteger(value) || value < 1 || value > 16) {
      throw new Error(`${name} must be a whole number from 1 to 16, got ${value}`);
    }
  }
  if (shape.omsProcesses > 1 && !context.databaseUrl) {
    throw new Error(
      `OMS_PROCESSES=${shape.omsProcesses} needs DATABASE_URL: the embedded SQLite database serves one OMS process. ` +
        "Point DATABASE_URL at a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/defix) and start again.",
    );
  }
  if (shape.webInstances > 1 && context.web === "dev") {
    throw new Error(
      `WEB_INSTANCES=${shape.webInstances} needs WEB_MODE=prod: \`next dev\` instances would share one .next folder.`,
    );
  }
  if (shape.webInstances > 1 && context.web !== "none" && !context.redisUrl) {
    throw new Error(
      `WEB_INSTANCES=${shape.webInstances} needs REDIS_URL: sign-in nonces and rate-limit counters must be shared, ` +
        "or a nonce issued by one dashboard could not be redeemed on another. Set REDIS_URL=redis://host:6379.",
    );
  }
}

/** `TRUST_PROXY` for a dashboard behind our proxy: one more hop than the user's own proxies in front of it. */
export function trustProxyBehindEntry(userValue: string | undefined): string {
  if (userValue === undefined || userValue === "" || userValue === "0" || userValue === "false") return "1";
  if (userValue === "true") return "2";
  const hops = Number(userValue);
  return Number.isInteger(hops) && hops > 0 ? String(hops + 1) : "1";
}
