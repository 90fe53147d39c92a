import path from "node:path";
import { getFreePort } from "../../lib/anvil";
import { type ManagedProcess, spawnManaged, waitForHttp } from "../../lib/processes";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

export interface ServiceProcess {
  proc: ManagedProcess;
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL to the process group, no cleanup: what a crash looks like. */
  kill(): Promise<void>;
}

/** Runs a TypeScript entry under tsx as its own process group and waits until `healthPath` answers. */
export async function startTsService(options: {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  logDir: string;
  healthPath: string;
  port?: number;
  timeoutMs?: number;
  /** Extra node flags, e.g. `--cpu-prof` to find what limits a figure. */
  nodeArgs?: string[];
}): Promise<ServiceProcess> {
  const port = options.port ?? (await getFreePort());
  const proc = spawnManaged({
    name: options.name,
    command: process.execPath,
    // Bundled .mjs entries run on plain node: the tsx loader costs seconds per start.
    args: [
      ...(options.nodeArgs ?? []),
      ...(options.entry.endsWith(".ts") ? ["--import", "tsx"] : []),
      path.resolve(ROOT, options.entry),
    ],
    env: { ...options.env, PORT: String(port), OMS_PORT: String(port) },
    logDir: options.logDir,
    echo: false,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${options.healthPath}`, options.timeoutMs ?? 60_000, options.name, proc);
  const pid = proc.child.pid ?? 0;
  return {
    proc,
    url,
    pid,
    stop: () => proc.stop(),
    async kill() {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.child.once("exit", () => resolve()));
      process.kill(-pid, "SIGKILL");
      await exited;
    },
  };
}

/** The bare node:http yardstick; `bodyFile` makes it answer that file instead of one intent-sized object. */
export function startBaseline(logDir: string, bodyFile?: string): Promise<ServiceProcess> {
  return startTsService({
    name: "baseline",
    entry: "scripts/bench/lib/baseline-server.ts",
    env: bodyFile ? { ...process.env, BASELINE_BODY_FILE: bodyFile } : process.env,
    logDir,
    healthPath: "/",
  });
}
