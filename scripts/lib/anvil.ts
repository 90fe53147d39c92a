import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";

/** Local anvil chains for the start command and integration tests. */

const ANVIL_BIN = path.resolve(import.meta.dirname, "..", "..", "node_modules", ".bin", "anvil");
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Runs in its own process group as the parent of node_modules/.bin/anvil (which spawns the real binary).
 * It holds a pipe from us on stdin: when this process dies in any way, even SIGKILL, the pipe closes and the
 * guard takes its whole group (wrapper + binary) down, so no anvil outlives the process that started it.
 */
export const GUARD = `
const { spawn } = require("node:child_process");
const [bin, ...args] = process.argv.slice(1);
const child = spawn(bin, args, { stdio: ["ignore", "inherit", "inherit"] });
const stopGroup = () => { try { process.kill(0, "SIGTERM"); } catch { process.exit(1); } };
process.stdin.on("end", stopGroup);
process.stdin.on("close", stopGroup);
process.stdin.resume();
child.on("exit", (code) => process.exit(code ?? 1));
`;

export interface AnvilOptions {
  /** Fixed port; a free one is picked (with retries on a lost race) when omitted. */
  port?: number;
  /** Seconds between blocks; omitted means automine (a block per transaction). */
  blockTime?: number;
  /** Discard anvil's log instead of sharing this process's stdout (startup errors are reported either way). */
  quiet?: boolean;
  /**
   * Load the chain from this file at start and write it back on stop (`anvil --state`): blocks, receipts
   * and balances survive a restart; the transaction pool does not (as with a real node's restart).
   */
  statePath?: string;
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
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" || error.code === "EACCES" ? resolve(false) : reject(error),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Process groups started through GUARD (anvil, the bundler); killed on exit. */
export const liveGroups = new Set<number>();

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

process.once("exit", () => {
  // Synchronous last resort on an orderly exit; the guard's stdin watch covers the rest.
  for (const pgid of liveGroups) signalGroup(pgid, "SIGKILL");
});

async function answersChainId(rpcUrl: string): Promise<boolean> {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Stopped = the guard has exited and the port is free again (a zombie binary holds no socket). */
export async function waitStopped(guard: ChildProcess, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!hasExited(guard) || !(await isPortFree(port))) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

async function launch(port: number, options: AnvilOptions): Promise<AnvilInstance> {
  // Otherwise an existing chain on the port would answer our readiness poll and pass for the new one.
  if (!(await isPortFree(port))) throw new Error(`port ${port} is already in use; cannot start anvil there`);
  const args = ["--host", "127.0.0.1", "--port", String(port)];
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
  if (options.statePath !== undefined) args.push("--state", options.statePath);
  // stdout (a line per RPC call) is never piped: a parent that blocks its event loop (execFileSync, a busy
  // test) would stop draining the pipe and anvil would hang on its next write. stderr only carries errors.
  const stdout = options.quiet ? "ignore" : "inherit";
  const guard = spawn(process.execPath, ["-e", GUARD, ANVIL_BIN, ...args], {
    stdio: ["pipe", stdout, "pipe"],
    detached: true,
  });
  const pgid = guard.pid;
  if (pgid === undefined) {
    const [error] = (await once(guard, "error")) as [Error];
    throw new Error(`could not start anvil: ${error.message}`);
  }
  liveGroups.add(pgid);
  let output = "";
  guard.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4_000);
    if (!options.quiet) process.stderr.write(chunk);
  });

  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!liveGroups.has(pgid)) return;
    signalGroup(pgid, "SIGTERM");
    if (!(await waitStopped(guard, port, STOP_TIMEOUT_MS))) {
      signalGroup(pgid, "SIGKILL");
      await waitStopped(guard, port, STOP_TIMEOUT_MS);
    }
    guard.stdin?.destroy();
    liveGroups.delete(pgid);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersChainId(rpcUrl))) {
    if (hasExited(guard) || Date.now() > deadline) {
      const reason = hasExited(guard) ? "exited" : "timed out";
      await stop();
      throw new Error(`anvil on port ${port} ${reason} before answering eth_chainId:\n${output.trim()}`);
    }
    await sleep(50);
  }
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
