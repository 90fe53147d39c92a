import { availableParallelism } from "node:os";
import path from "node:path";
import { omsNodeFlags } from "../../lib/cluster";
import { argValue } from "./args";
import { type ServiceProcess, startTsService } from "./children";
import type { ExtraEnv, World } from "./world";

export interface OmsOptions {
  /** Unset: SQLite in the world's data dir. */
  databaseUrl?: string;
  /** 0 disables the engine, so a measurement sees the API and the store only. */
  workers: number;
  env?: ExtraEnv;
  name?: string;
  nodeArgs?: string[];
  /** Fixed port, so a restarted OMS answers where clients already point. */
  port?: number;
  /** Run this entry instead of `oms/server.ts` (the esbuild bundle, for fast restarts). */
  entry?: string;
}

/** The real OMS entry (`oms/server.ts`) as its own process over a bench world. */
export function startOms(world: World, options: OmsOptions): Promise<ServiceProcess> {
  return startTsService({
    name: options.name ?? "oms",
    entry: options.entry ?? "oms/server.ts",
    env: world.omsEnv({
      OMS_WORKERS: String(options.workers),
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    }),
    logDir: path.join(world.dataDir, "logs"),
    healthPath: "/health",
    // The flags `npm start` gives an OMS process on this machine, so the figures are of what it runs.
    nodeArgs: [
      ...omsNodeFlags(availableParallelism(), process.env.OMS_SINGLE_THREADED_GC),
      ...cpuProfileArgs(),
      ...(options.nodeArgs ?? []),
    ],
    port: options.port,
  });
}

/**
 * `--cpu-prof DIR` on the bench command line: every OMS child (the browser benches' too) writes a V8 CPU profile
 * into DIR when it stops (open in Chrome DevTools or summarise with `scripts/bench/profile-summary.ts`).
 */
export function cpuProfileArgs(): string[] {
  const dir = argValue("cpu-prof");
  if (dir === undefined) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir === "true" ? ".data/bench/profiles" : dir)}`];
}
