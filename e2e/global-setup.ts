import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { loadManifest } from "../lib/deployment/manifest";
import { startStack } from "../scripts/lib/stack";
import { E2E_BASE_URL, E2E_PORTS, E2E_WEBHOOK_RECEIVER_PORT, type StackInfo } from "./fixtures/env";

/**
 * Starts the whole stack once for the suite (or uses E2E_BASE_URL's), publishes its addresses to the
 * workers through E2E_STACK, and returns the teardown. A small control server lets the outage test
 * stop and restart the OMS without reaching into this process.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (process.env.E2E_BASE_URL) return attachToExternalStack();

  const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? ".data/e2e");
  // The suite signs its dev accounts in dozens of times a minute from one address; the sign-in budgets
  // (lib/auth/rate-limits.ts) are for people. Their refusal is tested with a mocked 429 and in unit tests.
  for (const name of ["AUTH_NONCE_PER_MIN", "AUTH_SIGN_IN_PER_IP_PER_MIN", "AUTH_SIGN_IN_PER_ADDRESS_PER_MIN"]) {
    process.env[name] ??= "10000";
  }
  // Audit checkpoints every 2 s (default 60 s), so an intent's detail shows the checkpoint holding it soon.
  process.env.OMS_AUDIT_CHECKPOINT_MS ??= "2000";
  const webMode = process.env.E2E_WEB_MODE === "dev" ? "dev" : "prod";
  const stack = await startStack({
    dataDir,
    web: webMode,
    ports: E2E_PORTS,
    webhookReceiverPort: E2E_WEBHOOK_RECEIVER_PORT,
    // The local 4337 bundler, on the suite's own port range (E2E_PORT_OFFSET).
    bundler: true,
    echo: process.env.E2E_ECHO === "1",
  });
  const control = await startControlServer({ stop: () => stack.stopOms(), start: () => stack.startOms() });
  const info: StackInfo = {
    webUrl: E2E_BASE_URL,
    omsUrl: stack.omsUrl,
    rpcUrl: stack.rpcUrl,
    chainId: stack.manifest.chain_id,
    dataDir,
    webhookReceiverUrl: stack.webhookReceiverUrl,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
  };
  process.env.E2E_STACK = JSON.stringify(info);
  return async () => {
    control.close();
    await stack.stop();
  };
}

async function attachToExternalStack(): Promise<() => Promise<void>> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
  const manifest = loadManifest(process.env.DEPLOYMENT_FILE ?? path.join(dataDir, "deployment.json"));
  const info: StackInfo = {
    webUrl: E2E_BASE_URL,
    omsUrl: process.env.OMS_URL ?? "http://127.0.0.1:8787",
    rpcUrl: process.env.RPC_URL ?? manifest.rpc_url,
    chainId: manifest.chain_id,
    dataDir,
    webhookReceiverUrl: null,
    controlUrl: null,
  };
  process.env.E2E_STACK = JSON.stringify(info);
  return async () => undefined;
}

function startControlServer(actions: { stop(): Promise<void>; start(): Promise<void> }): Promise<Server> {
  const server = createServer((req, res) => {
    const action =
      req.method === "POST" ? { "/oms/stop": actions.stop, "/oms/start": actions.start }[req.url ?? ""] : undefined;
    if (!action) {
      res.writeHead(404).end();
      return;
    }
    action().then(
      () => res.writeHead(204).end(),
      (error: unknown) => res.writeHead(500).end(error instanceof Error ? error.message : String(error)),
    );
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
