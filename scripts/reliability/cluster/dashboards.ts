import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ROOT } from "../../bench/lib/children";
import type { World } from "../../bench/lib/world";
import { type ManagedProcess, spawnManaged, waitForHttp } from "../../lib/processes";
import { isWebBuildStale } from "../../lib/web-build";

export interface Dashboards {
  urls: string[];
  /** The origin every instance names itself by (NEXTAUTH_URL): what a SIWE message signs. */
  origin: string;
  stop(): Promise<void>;
}

/**
 * `count` production dashboards (`next start`) over the world, sharing sign-in nonces and counters in
 * Redis under `redisPrefix`, their OMS at `omsUrl`. Builds the dashboard first when `.next` is stale.
 */
export async function startDashboards(
  world: World,
  options: {
    count: number;
    ports: number[];
    omsUrl: string;
    redisUrl: string;
    redisPrefix: string;
    log: (line: string) => void;
  },
): Promise<Dashboards> {
  const nextBin = path.join(ROOT, "node_modules/next/dist/bin/next");
  if (isWebBuildStale(ROOT)) {
    options.log("  building the dashboard (next build; .next is missing or stale)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
  }
  const origin = `http://localhost:${options.ports[0]}`;
  const env: NodeJS.ProcessEnv = {
    ...world.omsEnv(),
    CHAIN_ID: String(world.manifest.chain_id),
    OMS_URL: options.omsUrl,
    NEXTAUTH_URL: origin,
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    REDIS_URL: options.redisUrl,
    WEB_REDIS_PREFIX: options.redisPrefix,
    // The harness signs the same dev accounts in every second; the budgets are not what it measures.
    AUTH_NONCE_PER_MIN: "100000",
    AUTH_SIGN_IN_PER_IP_PER_MIN: "100000",
    AUTH_SIGN_IN_PER_ADDRESS_PER_MIN: "100000",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const processes: ManagedProcess[] = [];
  try {
    await Promise.all(
      options.ports.slice(0, options.count).map((port, i) => {
        const web = spawnManaged({
          name: `web-${i + 1}`,
          command: process.execPath,
          args: [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"],
          env: { ...env, PORT: String(port) },
          logDir: path.join(world.dataDir, "logs"),
          echo: false,
        });
        processes.push(web);
        return waitForHttp(`http://127.0.0.1:${port}/api/health`, 120_000, `web-${i + 1}`, web);
      }),
    );
  } catch (error) {
    await Promise.all(processes.map((web) => web.stop()));
    throw error;
  }
  return {
    urls: options.ports.slice(0, options.count).map((port) => `http://127.0.0.1:${port}`),
    origin,
    stop: async () => {
      await Promise.all(processes.map((web) => web.stop()));
    },
  };
}
