import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/** Local anvil chains for the start command and integration tests. */

const ANVIL_BIN = path.resolve(import.meta.dirname, "..", "..", "node_modules", ".bin", "anvil");
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface AnvilOptions {
  /** Fixed port; a free one is picked (with retries on a lost race) when omitted. */
  port?: number;
  /** Seconds between blocks; omitted means automine (a block per transaction). */
  blockTime?: number;
  /** Discard anvil's log instead of sharing this process's stdout (startup errors are reported either way). */
  quiet?: boolean;
}

export interface AnvilInstance {
  rpcUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** Asks the OS for a port that was free a moment ago. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/** Whether 127.0.0.1:`port` can be bound right now (anvil binds the same address). */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" || error.code === "EACCES" ? resolve(false) : reject(error),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

const live = new Set<{ wrapper: ChildProcess; binaryPid: number | null }>();

/** Whether `pid` still runs; a zombie (exited, waiting to be reaped) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH (gone) is the answer we are asking for; EPERM cannot happen for our own children.
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    // No procfs (not Linux) or the process vanished: kill(0) already said it existed a moment ago.
    return true;
  }
}

function signal(pid: number | null | undefined, sig: NodeJS.Signals): void {
  if (pid === null || pid === undefined || !isAlive(pid)) return;
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * The wrapper (node_modules/.bin/anvil) spawns the real binary; we learn its pid from /proc so a stop can
 * wait until the binary itself is gone (the wrapper exits before it) and so nothing survives a parent exit.
 */
function findChildPid(parentPid: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parentPid) return Number(entry);
    } catch {
      // The process exited while we were scanning; not ours to care about.
    }
  }
  return null;
}

process.once("exit", () => {
  // Synchronous last resort when the parent exits without stopping its chains.
  for (const instance of live) {
    signal(instance.binaryPid, "SIGKILL");
    signal(instance.wrapper.pid, "SIGKILL");
  }
});

async function rpcChainId(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    const body = (await response.json()) as { result?: string };
    return typeof body.result === "string";
  } catch {
    // Not listening yet: the caller polls.
    return false;
  }
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

async function launch(port: number, options: AnvilOptions): Promise<AnvilInstance> {
  // Otherwise an existing chain on the port would answer our readiness poll and pass for the new one.
  if (!(await isPortFree(port))) throw new Error(`port ${port} is already in use; cannot start anvil there`);
  const args = ["--host", "127.0.0.1", "--port", String(port)];
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
  // stdout (a line per RPC call) is never piped: a parent that blocks its event loop (execFileSync, a busy
  // test) would stop draining the pipe and anvil would hang on its next write. stderr only carries errors.
  const stdout = options.quiet ? "ignore" : "inherit";
  const wrapper = spawn(ANVIL_BIN, args, { stdio: ["ignore", stdout, "pipe"] });
  const instance = { wrapper, binaryPid: null as number | null };
  live.add(instance);
  let output = "";
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-4_000);
    if (!options.quiet) process.stderr.write(chunk);
  };
  wrapper.stderr?.on("data", collect);
  let spawnError: Error | null = null;
  wrapper.once("error", (error) => {
    spawnError = error;
  });

  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!live.has(instance)) return;
    instance.binaryPid ??= wrapper.pid === undefined ? null : findChildPid(wrapper.pid);
    const pids = [wrapper.pid, instance.binaryPid].filter((pid): pid is number => typeof pid === "number");
    signal(wrapper.pid, "SIGTERM");
    signal(instance.binaryPid, "SIGTERM");
    if (!(await waitUntilGone(pids, STOP_TIMEOUT_MS))) {
      for (const pid of pids) signal(pid, "SIGKILL");
      await waitUntilGone(pids, STOP_TIMEOUT_MS);
    }
    live.delete(instance);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await rpcChainId(rpcUrl))) {
    const exited = wrapper.exitCode !== null || wrapper.signalCode !== null;
    if (spawnError || exited || Date.now() > deadline) {
      await stop();
      const reason = spawnError ? String(spawnError) : exited ? "exited" : "timed out";
      throw new Error(`anvil on port ${port} ${reason} before answering eth_chainId:\n${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (wrapper.pid !== undefined) instance.binaryPid = findChildPid(wrapper.pid);
  return { rpcUrl, port, stop };
}

/** Starts anvil (chain id 31337, the standard dev mnemonic) and resolves once it answers RPC. */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilInstance> {
  if (options.port !== undefined) return launch(options.port, options);
  let lastError: unknown;
  // Another process may grab the port between getFreePort and anvil's bind, so retry with a new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(await getFreePort(), options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
