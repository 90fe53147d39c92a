import { spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import path from "node:path";
import { type Address, toHex } from "viem";
import { devAccount } from "../../lib/chain/dev-accounts";
import { GUARD, getFreePort, hasExited, isPortFree, liveGroups, signalGroup, sleep, waitStopped } from "./anvil";

/**
 * The local ERC-4337 bundler (`@pimlico/alto`) for `npm start`, the tests and Playwright: runs against a given
 * anvil and EntryPoint v0.8, bound to 127.0.0.1, executor key = dev #7, utility key = dev #8 (anvil funds both).
 * Production points `BUNDLER_URL` at any provider speaking the standard bundler JSON-RPC instead.
 */

const ALTO_BIN = path.resolve(import.meta.dirname, "..", "..", "node_modules", ".bin", "alto");
const LOOPBACK_PRELOAD = path.resolve(import.meta.dirname, "bind-loopback.cjs");
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 5_000;
export const BUNDLER_EXECUTOR_INDEX = 7;
export const BUNDLER_UTILITY_INDEX = 8;

export interface BundlerOptions {
  rpcUrl: string;
  entryPoint: Address;
  /** Fixed port; a free one when omitted. */
  port?: number;
  /** alto's log goes here (appended); discarded when omitted. */
  logFile?: string;
  /**
   * Tests only: alto's debug_bundler_* methods (bundling mode, clearing the mempool), so a test can make the
   * bundler sit on or drop a user operation. Never for `npm start`.
   */
  debugEndpoints?: boolean;
}

export interface BundlerInstance {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function devPrivateKey(index: number): `0x${string}` {
  const key = devAccount(index).getHdKey().privateKey;
  if (!key) throw new Error(`dev account ${index} has no private key`);
  return toHex(key);
}

/** Whether `url` answers `eth_supportedEntryPoints` with `entryPoint`. */
export async function servesEntryPoint(url: string, entryPoint: Address): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_supportedEntryPoints", params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { result?: string[] };
    return (body.result ?? []).some((address) => address.toLowerCase() === entryPoint.toLowerCase());
  } catch {
    // Not listening yet: the caller polls.
    return false;
  }
}

export async function startBundler(options: BundlerOptions): Promise<BundlerInstance> {
  const port = options.port ?? (await getFreePort());
  if (!(await isPortFree(port))) throw new Error(`port ${port} is already in use; cannot start the bundler there`);
  const args = [
    ...["--entrypoints", options.entryPoint],
    ...["--executor-private-keys", devPrivateKey(BUNDLER_EXECUTOR_INDEX)],
    ...["--utility-private-key", devPrivateKey(BUNDLER_UTILITY_INDEX)],
    ...["--rpc-url", options.rpcUrl, "--port", String(port)],
    // Validation reads the registry (non-associated storage, ERC-7562); see docs/ARCHITECTURE.md.
    ...["--safe-mode", "false", "--log-level", "warn", "--block-time", "250"],
    ...(options.debugEndpoints ? ["--enable-debug-endpoints", "true"] : []),
  ];
  const log = options.logFile ? openSync(options.logFile, "a") : "ignore";
  const guard = spawn(process.execPath, ["-e", GUARD, ALTO_BIN, ...args], {
    stdio: ["pipe", log, log],
    detached: true,
    env: { ...process.env, NODE_OPTIONS: `--require ${LOOPBACK_PRELOAD}` },
  });
  if (typeof log === "number") closeSync(log);
  const pgid = guard.pid;
  if (pgid === undefined) {
    const [error] = (await once(guard, "error")) as [Error];
    throw new Error(`could not start the bundler: ${error.message}`);
  }
  liveGroups.add(pgid);
  const url = `http://127.0.0.1:${port}`;
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
  while (!(await servesEntryPoint(url, options.entryPoint))) {
    if (hasExited(guard) || Date.now() > deadline) {
      const reason = hasExited(guard) ? "exited" : "timed out";
      await stop();
      throw new Error(`the bundler (alto) on port ${port} ${reason} before serving ${options.entryPoint}`);
    }
    await sleep(250);
  }
  return { url, port, stop };
}

export interface StackBundler {
  /** What the OMS gets as `BUNDLER_URL`; null when no bundler is available. */
  url: string | null;
  /** One line for the start banner: which bundler, or why none. */
  note: string;
  stop(): Promise<void>;
}

/**
 * The bundler of a started stack: `BUNDLER_URL` from the environment wins (any provider); otherwise a local alto
 * on `port` when `local` and the world has an EntryPoint; otherwise none (4337 intents then cannot execute).
 */
export async function provideBundler(options: {
  rpcUrl: string;
  entryPoint: Address | undefined;
  port: number;
  logFile: string;
  local: boolean;
}): Promise<StackBundler> {
  const external = process.env.BUNDLER_URL;
  if (external) return { url: external, note: `BUNDLER_URL ${external} (not started here)`, stop: async () => {} };
  if (!options.local) return { url: null, note: "skipped (not requested; set BUNDLER_URL)", stop: async () => {} };
  if (!options.entryPoint)
    return { url: null, note: "skipped (the manifest has no entry_point)", stop: async () => {} };
  const local = await startBundler({
    rpcUrl: options.rpcUrl,
    entryPoint: options.entryPoint,
    port: options.port,
    logFile: options.logFile,
  });
  return { url: local.url, note: `local alto at ${local.url} (log ${options.logFile})`, stop: local.stop };
}
