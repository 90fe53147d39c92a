import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { argValue } from "./args";

/**
 * `--cpu-prof DIR` on a browser bench: a V8 CPU profile of the page's main thread for the measured window only
 * (summarise it with `npx tsx scripts/bench/profile-summary.ts FILE`), to see what its script time is made of.
 * Undefined without the flag.
 */
export async function startPageProfiler(page: Page, name: string): Promise<{ stop(): Promise<void> } | undefined> {
  const dir = argValue("cpu-prof");
  if (dir === undefined) return undefined;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  return {
    async stop() {
      const { profile } = await cdp.send("Profiler.stop");
      const folder = path.resolve(dir === "true" ? ".data/bench/profiles" : dir);
      mkdirSync(folder, { recursive: true });
      const file = path.join(folder, `${name}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`  CPU profile of ${name}: ${file}`);
    },
  };
}
