import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type DeploymentManifest, loadManifest } from "@/lib/deployment/manifest";
import { defaultDataDir } from "./issuer";

/** Everything the dashboard's server side reads from the environment, in one place (see docs/ARCHITECTURE.md). */
export function nextAuthUrl(): URL {
  return new URL(process.env.NEXTAUTH_URL ?? "http://localhost:3000");
}

export function omsUrl(): string {
  return (process.env.OMS_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
}

export function deploymentFile(): string {
  return process.env.DEPLOYMENT_FILE ?? path.join(defaultDataDir(), "deployment.json");
}

let manifestCache: { mtimeMs: number; manifest: DeploymentManifest } | null = null;

/** The deployment manifest, re-read when the start script redeploys (file mtime changes). Null before the first deploy. */
export function currentManifest(): DeploymentManifest | null {
  const file = deploymentFile();
  if (!existsSync(file)) return null;
  const { mtimeMs } = statSync(file);
  if (manifestCache?.mtimeMs !== mtimeMs) manifestCache = { mtimeMs, manifest: loadManifest(file) };
  return manifestCache.manifest;
}

export function rpcUrl(): string {
  return process.env.RPC_URL ?? currentManifest()?.rpc_url ?? "http://127.0.0.1:8545";
}

/**
 * The chain URL a signed-out visitor's browser may be given (the sign-in page's wallet config). RPC_URL can
 * carry a provider key, so it is only reused when it points at this machine (a local anvil); otherwise
 * PUBLIC_RPC_URL must name a URL meant for browsers, or none is sent (the injected wallet talks to its own node).
 */
export function publicRpcUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  if (env.PUBLIC_RPC_URL !== undefined) return env.PUBLIC_RPC_URL === "" ? undefined : env.PUBLIC_RPC_URL;
  const url = env.RPC_URL ?? currentManifest()?.rpc_url ?? "http://127.0.0.1:8545";
  return isLoopbackUrl(url) ? url : undefined;
}

export function isLoopbackUrl(value: string): boolean {
  try {
    const { hostname, username, password } = new URL(value);
    if (username || password) return false;
    return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
  } catch {
    return false;
  }
}

export function chainId(): number | null {
  const fromManifest = currentManifest()?.chain_id;
  if (fromManifest) return fromManifest;
  const fromEnv = Number(process.env.CHAIN_ID);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : null;
}

const ONE_ETH_WEI = "1000000000000000000";

/**
 * The most wei the canvas lets a key grant or rotation forward from the manager's wallet to the key
 * (`SESSION_KEY_MAX_STIPEND_WEI`); a prepared transaction asking for more is refused before the wallet
 * opens. Defaults to the OMS's `SESSION_KEY_GAS_STIPEND_WEI` when this process sees it, else 1 ETH (the
 * OMS's default): the ceiling is the console's own number, never one the OMS sends.
 */
export function maxKeyStipendWei(): string {
  const raw = process.env.SESSION_KEY_MAX_STIPEND_WEI || process.env.SESSION_KEY_GAS_STIPEND_WEI || ONE_ETH_WEI;
  if (!/^(0|[1-9][0-9]{0,30})$/.test(raw)) {
    throw new Error("SESSION_KEY_MAX_STIPEND_WEI (or SESSION_KEY_GAS_STIPEND_WEI) must be a decimal amount of wei");
  }
  return raw;
}

let secret: string | null = null;

/**
 * next-auth's cookie encryption secret. The start script passes NEXTAUTH_SECRET; a bare `next dev`
 * falls back to a random secret kept in DATA_DIR so sessions survive restarts.
 */
export function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  if (secret) return secret;
  const file = path.join(defaultDataDir(), "nextauth-secret");
  if (!existsSync(file) || statSync(file).size === 0) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    console.warn(`[auth] NEXTAUTH_SECRET unset: using a generated secret in ${file}`);
  }
  secret = readFileSync(file, "utf8").trim();
  return secret;
}
