import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { argValue } from "./args";
import { frameTimes, TRACE_CATEGORIES } from "./frame-trace";

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
      const file = writeProfile(dir, `${name}-${Date.now()}.cpuprofile`, JSON.stringify(profile));
      console.log(`  CPU profile of ${name}: ${file}`);
    },
  };
}

/** Writes a profile or trace into a flag's DIR (a bare flag, `true`: `.data/bench/profiles`); returns its path. */
function writeProfile(dir: string, fileName: string, content: string | Buffer): string {
  const folder = path.resolve(dir === "true" ? ".data/bench/profiles" : dir);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, fileName);
  writeFileSync(file, content);
  return file;
}

/** Writes a Chromium trace under `--save-trace DIR`. */
export function saveTrace(dir: string, name: string, raw: Buffer): void {
  console.log(`  Chromium trace of ${name}: ${writeProfile(dir, `${name}-${Date.now()}.trace.json`, raw)}`);
}

/**
 * `--save-trace DIR` on a browser bench that runs for a while (live latency): a Chromium trace of `page` for `ms`,
 * saved, and its main thread's time in script, style + layout and paint printed (thread CPU, summed over the
 * window), to see where a page's time goes besides its script. Nothing without the flag.
 */
export async function tracePage(browser: Browser, page: Page, name: string, ms: number): Promise<void> {
  const dir = argValue("save-trace");
  if (dir === undefined) return;
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  await new Promise((resolve) => setTimeout(resolve, ms));
  const raw = await browser.stopTracing();
  saveTrace(dir, name, raw);
  const times = frameTimes(JSON.parse(raw.toString("utf8")));
  const sum = (values: number[]) => Math.round(values.reduce((total, value) => total + value, 0));
  console.log(
    `  ${name} main thread over ${ms / 1000} s (${times.script.length} frames): script ${sum(times.script)} ms, ` +
      `style + layout ${sum(times.styleLayout)} ms, paint ${sum(times.paint)} ms`,
  );
  for (const entry of times.topEntryPoints) console.log(`    ${entry.ms.toFixed(1)} ms  ${entry.name}`);
}
