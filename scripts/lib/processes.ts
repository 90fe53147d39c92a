import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Also mirror output to this process's stdout with a `[name]` prefix. */
  echo: boolean;
}

/**
 * Spawns a child in its own process group so that stopping it also stops anything it started
 * (Next.js forks workers). Output goes to `${logDir}/${name}.log`.
 */
export function spawnManaged(options: SpawnOptions): ManagedProcess {
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(path.join(options.logDir, `${options.name}.log`), { flags: "a" });
  const child = spawn(options.command, options.args, {
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const forward = (chunk: Buffer): void => {
    log.write(chunk);
    if (!options.echo) return;
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() !== "") process.stdout.write(`[${options.name}] ${line}\n`);
    }
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  liveGroups.add(child);
  child.once("exit", () => liveGroups.delete(child));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, "SIGTERM");
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 8_000);
    await exited;
    clearTimeout(timer);
    // The group may hold grandchildren that outlived the leader.
    signalGroup(child, "SIGKILL");
    log.end();
  };
  return { name: options.name, child, stop };
}

const liveGroups = new Set<ChildProcess>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Last-resort cleanup when this process exits without running the orderly stop. */
process.once("exit", () => {
  for (const child of liveGroups) signalGroup(child, "SIGKILL");
});

export async function waitForHttp(url: string, timeoutMs: number, name: string, proc?: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "no answer";
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`${name} exited with code ${proc.child.exitCode} before it answered at ${url}; see its log`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs} ms (${lastError})`);
}
