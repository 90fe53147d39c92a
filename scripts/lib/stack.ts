import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { ensureIssuerKey } from "../../lib/auth/issuer";
import type { DeploymentManifest } from "../../lib/deployment/manifest";
import { deployWorld } from "../deploy/world";
import { startAnvil } from "./anvil";
import { provideBundler, type StackBundler } from "./bundler";
import { backendPorts, checkClusterShape, omsNodeFlags, trustProxyBehindEntry } from "./cluster";
import { readOrCreateSecret, resetChainBoundState } from "./data-dir";
import { type ManagedProcess, spawnManaged, waitForHttp } from "./processes";
import { type RoundRobinProxy, startRoundRobinProxy } from "./round-robin-proxy";
import { isWebBuildStale } from "./web-build";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver";

export type WebMode = "dev" | "prod" | "none";

export interface StackOptions {
  dataDir: string;
  /** More node flags for each OMS process (the browser benches' `--cpu-prof`). */
  omsNodeArgs?: readonly string[];
  web: WebMode;
  /** Use this chain instead of starting anvil. */
  rpcUrl?: string;
  databaseUrl?: string;
  ports?: { chain?: number; oms?: number; runner?: number; web?: number; bundler?: number };
  /** Run the local ERC-4337 bundler (alto) unless BUNDLER_URL is set (`npm start`, e2e). Default: none. */
  bundler?: boolean;
  /** Mirror child output to stdout with a `[name]` prefix. */
  echo?: boolean;
  runner?: boolean;
  /** Extra env for the OMS (e.g. intervals in tests). */
  omsEnv?: Record<string, string | undefined>;
  /**
   * OMS processes (default 1; more need `databaseUrl`) and dashboard instances (default 1; more need
   * `redisUrl`). With more than one, they listen on entry + 10 + i and a round-robin proxy holds the entry port.
   */
  omsProcesses?: number;
  webInstances?: number;
  /** Shared by the dashboards (nonces, rate limits) and the OMS processes (rate limits). */
  redisUrl?: string;
  /**
   * Run a local webhook receiver on this port (`npm start`, e2e) and let the OMS deliver to it:
   * WEBHOOK_ALLOW_PRIVATE_TARGETS=1 and WEBHOOK_SUGGESTED_URL for the console. Unset: none.
   */
  webhookReceiverPort?: number;
  /** The OMS relays every event to this NATS JetStream (`NATS_URL`); unset: no broker. */
  natsUrl?: string;
}

export interface ServiceProcess {
  name: string;
  url: string;
}

export interface Stack {
  rpcUrl: string;
  omsUrl: string;
  runnerUrl: string;
  webUrl: string;
  dataDir: string;
  manifest: DeploymentManifest;
  env: NodeJS.ProcessEnv;
  processes: ManagedProcess[];
  /** Each OMS process / dashboard instance at its own port (one entry each at omsUrl / webUrl). */
  omsProcesses: ServiceProcess[];
  webInstances: ServiceProcess[];
  /** The local webhook receiver's URL (null when none runs); GET it to see what arrived. */
  webhookReceiverUrl: string | null;
  /** The bundler the OMS uses (`BUNDLER_URL`) and a sentence about it. */
  bundler: { url: string | null; note: string };
  /** Stops and restarts the OMS (for tests of outages). */
  stopOms(): Promise<void>;
  startOms(): Promise<void>;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "..", "..");
const tsxArgs = ["--import", "tsx"];

/**
 * Brings up chain → contracts → OMS → strategy runner → dashboard, in that order, each waited for.
 * With the embedded anvil the chain starts empty, so chain-bound state (manifest, SQLite files) is reset.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const logDir = path.join(dataDir, "logs");
  const ports = {
    chain: options.ports?.chain ?? 8545,
    oms: options.ports?.oms ?? 8787,
    runner: options.ports?.runner ?? 8788,
    web: options.ports?.web ?? 3000,
    bundler: options.ports?.bundler ?? 4337,
  };
  const omsCount = options.omsProcesses ?? 1;
  const webCount = options.web === "none" ? 0 : (options.webInstances ?? 1);
  const redisUrl = options.redisUrl ?? (process.env.REDIS_URL || undefined);
  checkClusterShape(
    { omsProcesses: omsCount, webInstances: Math.max(1, webCount) },
    { databaseUrl: options.databaseUrl, redisUrl, web: options.web },
  );
  const omsFlags = [
    ...omsNodeFlags(availableParallelism(), process.env.OMS_SINGLE_THREADED_GC),
    ...(options.omsNodeArgs ?? []),
  ];
  const omsPorts = backendPorts(ports.oms, omsCount);
  const webPorts = webCount > 0 ? backendPorts(ports.web, webCount) : [];
  const processes: ManagedProcess[] = [];
  const proxies: RoundRobinProxy[] = [];
  let receiver: WebhookReceiver | undefined;
  const stopAll = async (): Promise<void> => {
    for (const proxy of proxies.splice(0)) await proxy.close();
    for (const proc of [...processes].reverse()) await proc.stop();
    await bundler?.stop();
    await anvil?.stop();
    await receiver?.close();
  };

  let anvil: Awaited<ReturnType<typeof startAnvil>> | undefined;
  let bundler: StackBundler | undefined;
  try {
    let rpcUrl = options.rpcUrl;
    if (!rpcUrl) {
      resetChainBoundState(dataDir);
      anvil = await startAnvil({ port: ports.chain, quiet: true });
      rpcUrl = anvil.rpcUrl;
    }
    const manifestPath = path.join(dataDir, "deployment.json");
    const manifest = await deployWorld({ rpcUrl, dataDir, manifestPath });
    mkdirSync(logDir, { recursive: true });
    bundler = await provideBundler({
      rpcUrl,
      entryPoint: manifest.contracts.entry_point,
      port: ports.bundler,
      logFile: path.join(logDir, "bundler.log"),
      local: options.bundler ?? false,
    });
    const issuer = await ensureIssuerKey(dataDir);
    const omsUrl = `http://127.0.0.1:${ports.oms}`;
    const runnerUrl = `http://127.0.0.1:${ports.runner}`;
    const webUrl = `http://localhost:${ports.web}`;
    const viewer = manifest.accounts.find((account) => account.label.includes("view"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: options.web === "dev" ? "development" : "production",
      DATA_DIR: dataDir,
      DEPLOYMENT_FILE: manifestPath,
      RPC_URL: rpcUrl,
      CHAIN_ID: String(manifest.chain_id),
      OMS_URL: omsUrl,
      OMS_PORT: String(ports.oms),
      RUNNER_URL: runnerUrl,
      RUNNER_PORT: String(ports.runner),
      PORT: String(ports.web),
      OMS_JWT_PUBLIC_KEY_FILE: issuer.publicKeyPath,
      NEXTAUTH_URL: webUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? readOrCreateSecret(path.join(dataDir, "nextauth-secret")),
      VIEW_ONLY: process.env.VIEW_ONLY ?? (viewer ? `${viewer.address}=${manifest.vaults[0]?.vault_id ?? ""}` : ""),
      NEXT_TELEMETRY_DISABLED: "1",
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      // Only the broker the caller chose (npm start probes; tests opt in): never one inherited from the shell.
      NATS_URL: options.natsUrl,
      BUNDLER_URL: bundler.url ?? undefined,
    };
    if (options.webhookReceiverPort !== undefined) {
      mkdirSync(logDir, { recursive: true });
      receiver = await startWebhookReceiver({
        port: options.webhookReceiverPort,
        logFile: path.join(logDir, "webhook-receiver.jsonl"),
        quiet: !(options.echo ?? false),
      });
      env.WEBHOOK_ALLOW_PRIVATE_TARGETS = "1";
      env.WEBHOOK_SUGGESTED_URL = receiver.url;
    }
    const echo = options.echo ?? false;
    const omsProcesses = omsPorts.map((port, i) => ({
      name: omsCount > 1 ? `oms-${i + 1}` : "oms",
      url: `http://127.0.0.1:${port}`,
      port,
    }));

    // Behind our proxy the OMS, like the dashboards, counts per-address limits by the address the proxy appended.
    const omsEnv = omsCount > 1 ? { OMS_TRUST_PROXY: trustProxyBehindEntry(process.env.OMS_TRUST_PROXY) } : {};
    let oms: ManagedProcess[] = [];
    const startOms = async (): Promise<void> => {
      oms = omsProcesses.map((member) =>
        spawnManaged({
          name: member.name,
          command: process.execPath,
          args: [...omsFlags, ...tsxArgs, path.join(root, "oms/server.ts")],
          env: { ...env, ...omsEnv, ...options.omsEnv, OMS_PORT: String(member.port) },
          logDir,
          echo,
        }),
      );
      processes.push(...oms);
      // Together: migrations take an advisory lock, so concurrent starts are safe on PostgreSQL.
      await Promise.all(
        omsProcesses.map((member, i) =>
          waitForHttp(`${member.url}/health`, 60_000, omsCount > 1 ? member.name : "OMS", oms[i]),
        ),
      );
      await Promise.all(proxies.map((proxy) => proxy.checkHealth()));
    };
    const stopOms = async (): Promise<void> => {
      for (const proc of oms) {
        await proc.stop();
        processes.splice(processes.indexOf(proc), 1);
      }
      oms = [];
    };
    await startOms();
    if (omsCount > 1) {
      proxies.push(
        await startRoundRobinProxy({
          port: ports.oms,
          backends: omsProcesses.map((m) => m.url),
          healthPath: "/health",
        }),
      );
    }

    if (options.runner ?? true) {
      const runner = spawnManaged({
        name: "runner",
        command: process.execPath,
        args: [...tsxArgs, path.join(root, "oms/runner/server.ts")],
        env,
        logDir,
        echo,
      });
      processes.push(runner);
      await waitForHttp(`${runnerUrl}/health`, 60_000, "strategy runner", runner);
    }

    if (options.web !== "none") {
      const nextBin = path.join(root, "node_modules/next/dist/bin/next");
      if (options.web === "prod" && isWebBuildStale(root)) {
        const build = spawnManaged({
          name: "web-build",
          command: process.execPath,
          args: [nextBin, "build"],
          env,
          logDir,
          echo,
        });
        const code = await new Promise<number | null>((resolve) => build.child.once("exit", resolve));
        if (code !== 0) throw new Error(`next build failed (exit ${code}); see ${path.join(logDir, "web-build.log")}`);
      }
      // Behind our proxy a dashboard trusts one more x-forwarded-for hop: the address the proxy appended.
      const webEnv = webCount > 1 ? { ...env, TRUST_PROXY: trustProxyBehindEntry(process.env.TRUST_PROXY) } : env;
      await Promise.all(
        webPorts.map((port, i) => {
          const name = webCount > 1 ? `web-${i + 1}` : "web";
          const web = spawnManaged({
            name,
            command: process.execPath,
            args: [nextBin, options.web === "dev" ? "dev" : "start", "-p", String(port), "-H", "127.0.0.1"],
            env: webEnv,
            logDir,
            echo,
          });
          processes.push(web);
          return waitForHttp(`http://localhost:${port}/api/health`, 180_000, webCount > 1 ? name : "dashboard", web);
        }),
      );
      if (webCount > 1) {
        const backends = webPorts.map((port) => `http://127.0.0.1:${port}`);
        proxies.push(await startRoundRobinProxy({ port: ports.web, backends, healthPath: "/api/health" }));
      }
    }

    return {
      rpcUrl,
      omsUrl,
      runnerUrl,
      webUrl,
      dataDir,
      manifest,
      env,
      processes,
      omsProcesses: omsProcesses.map(({ name, url }) => ({ name, url })),
      webInstances: webPorts.map((port, i) => ({
        name: webCount > 1 ? `web-${i + 1}` : "web",
        url: `http://localhost:${port}`,
      })),
      webhookReceiverUrl: receiver?.url ?? null,
      bundler: { url: bundler.url, note: bundler.note },
      stopOms,
      startOms,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
