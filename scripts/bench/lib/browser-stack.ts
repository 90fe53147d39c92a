import { existsSync } from "node:fs";
import path from "node:path";
import { type Stack, startStack } from "../../lib/stack";
import { ROOT } from "./children";
import { cpuProfileArgs } from "./oms";

export interface BrowserBenchPorts {
  chain: number;
  oms: number;
  runner: number;
  web: number;
}

/**
 * The real stack with the dashboard under `next start`, for the benches that drive Chromium. They measure
 * the production build, so a missing `.next` is an error here rather than a silent multi-minute build
 * inside a timed run (a build older than the sources is still rebuilt by startStack, as `npm start` does).
 */
export async function startBrowserBenchStack(options: {
  name: string;
  ports: BrowserBenchPorts;
  omsEnv?: Record<string, string | undefined>;
}): Promise<Stack> {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID")))
    throw new Error(
      `bench ${options.name}: no production build of the dashboard (.next/BUILD_ID is missing). Run \`npx next build\` first.`,
    );
  return startStack({
    dataDir: path.join(ROOT, ".data", `bench-${options.name}`),
    web: "prod",
    ports: options.ports,
    runner: false,
    omsEnv: options.omsEnv,
    omsNodeArgs: cpuProfileArgs(),
  });
}
