import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH_OPTIONS } from "../../e2e/fixtures/chromium";
import { signInViaApi } from "../../e2e/fixtures/session";
import { TestWallet } from "../../e2e/fixtures/wallet";
import { issueOmsToken } from "../../lib/auth/issuer";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { Stack } from "../lib/stack";
import { grantSessionKey } from "../reliability/lib/session-key";
import { type StreamClient, startStreamClient } from "../reliability/lib/stream-client";
import { watchBlocks } from "./lib/block-watcher";
import { startBrowserBenchStack } from "./lib/browser-stack";
import { ROOT } from "./lib/children";
import { printSlowDetail, rotateDetail, trackInProgress } from "./lib/detail-visits";
import {
  clockSkew,
  type DomSighting,
  frameRate,
  installDomProbe,
  intentFetches,
  type LongTask,
  type StreamFrame,
} from "./lib/dom-probe";
import { inclusionTimes, settle } from "./lib/intent-outcomes";
import { type Submitted, submitPaced } from "./lib/intents";
import {
  type CommittedEvent,
  commitTime,
  type DetailVisit,
  type LatencySamples,
  liveDetailSightings,
  type NewRowPath,
  newRowPath,
  pairSightings,
  slowDetailSamples,
} from "./lib/live-latency";
import { startPageProfiler, tracePage } from "./lib/page-profiler";
import { percentile, record, round, section } from "./lib/report";

/**
 * `npm run bench -- browser-latency` (issue 22, target 4): commit → DOM in Chromium through the BFF's
 * streams, on the real stack (anvil at 1 s blocks, OMS on SQLite, `next start`). One page holds the
 * history (`/intents`), a second one (its own window) visits the detail of the newest intent the engine is driving, one after another, while
 * the bench submits ~10 DEPOSIT intents a second. A MutationObserver in each page notes when each row
 * state / timeline entry first appears. A client of the OMS's own stream (`/defix/stream`, no browser, no BFF) notes
 * when each event is delivered, which the OMS does right after its commit: that is the commit time the figures start
 * from (the event's `created_at` is its step's time, up to `queuedStepMaxMs` before the commit for queued steps; the
 * figure from it is printed beside).
 */
const MANAGER = 1;
const PORTS = { web: 12100, chain: 12101, oms: 12102, runner: 12103 };
const BLOCK_SECONDS = 1;
const TARGET_P50_MS = 150;
const TARGET_P99_MS = 500;
const TARGET_INCLUSION_EXTRA_MS = 300;
/** Tall, so ~90 history rows are in view and their changes seen; the detail window is a laptop's. */
const HISTORY_VIEWPORT = { width: 1440, height: 4000 };
const DETAIL_VIEWPORT = { width: 1440, height: 900 };
/** A p99 of fewer samples is their maximum, and a p50 of a handful says little: such a figure is not judged met. */
const MIN_SAMPLES = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchBrowserLatency(options: {
  seconds: number;
  rate: number;
  /** Without the detail page: one tab, so its streams leave the browser more connections to the host. */
  isHistoryOnly: boolean;
}): Promise<void> {
  section(
    `live latency in Chromium: ${options.rate} intents/s for ${options.seconds} s, ${BLOCK_SECONDS} s blocks, ${options.isHistoryOnly ? "history page only" : "history + detail pages"}`,
  );
  // The bench's submits and the pages' reads are the measurement, not abuse: per-user budgets are lifted.
  process.env.BFF_RATE_LIMIT_PER_MIN = "0";
  const stack = await startBrowserBenchStack({
    name: "browser-latency",
    ports: PORTS,
    omsEnv: { OMS_RATE_LIMIT: "off", OMS_LOG_LEVEL: "warn", OMS_MAX_IN_FLIGHT_PER_VAULT: "0" },
  });
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const watcher = watchBlocks(stack.rpcUrl);
  let tap: StreamClient | undefined;
  try {
    const vault = managerVault(stack);
    const token = async (subject: string) =>
      (await issueOmsToken({ subject, dataDir: stack.dataDir, ttlSeconds: 3_600 })).token;
    await grantSessionKey({ token, manifest: stack.manifest, rpcUrl: stack.rpcUrl }, stack.omsUrl, vault);
    // Deployed and granted on automine; the measurement runs on interval mining.
    await rpc(stack.rpcUrl, "evm_setIntervalMining", [BLOCK_SECONDS]);
    const headers = { authorization: `Bearer ${await token(vault.primary_manager)}` };

    // Each page in its own context, so its own window: two pages of one context are two tabs of one window,
    // and Chromium draws only the front tab's frames (the other got ~1 animation frame a second, visible or not).
    const sightings: DomSighting[] = [];
    const detailLongTasks: LongTask[] = [];
    const detailFrames: StreamFrame[] = [];
    const openPage = async (
      viewport: { width: number; height: number },
      probe: { longTasks?: LongTask[]; frames?: StreamFrame[] } = {},
    ) => {
      const context = await browser.newContext({ viewport, baseURL: stack.webUrl });
      await installDomProbe(context, sightings, probe.longTasks, probe.frames);
      await signInViaApi(context, stack.webUrl, stack.manifest.chain_id, MANAGER);
      const page = await context.newPage();
      await new TestWallet(page, stack.rpcUrl, stack.manifest.chain_id, MANAGER).install();
      return page;
    };
    const history = await openPage(HISTORY_VIEWPORT);
    const detail = options.isHistoryOnly
      ? undefined
      : await openPage(DETAIL_VIEWPORT, { longTasks: detailLongTasks, frames: detailFrames });
    await history.goto("/intents");
    await history.locator('[data-testid="live-indicator"][data-status="live"]').waitFor({ timeout: 60_000 });
    const skewMs = await clockSkew(history);
    tap = startStreamClient({
      name: "commit tap",
      url: stack.omsUrl,
      token: await token(vault.primary_manager),
      after: 0,
    });
    while (tap.connections() === 0) await sleep(20);

    const submitted: Submitted[] = [];
    let isRunning = true;
    // A slow machine opens fewer detail pages in the window: it goes on (up to twice as long) until the detail page
    // has seen enough live timeline entries for its figure to be judged.
    const more = {
      wanted: () => detail !== undefined && liveDetailSightings(sightings) < MIN_SAMPLES,
      maxSeconds: options.seconds * 2,
    };
    const liveStarted = Date.now();
    const work = submitPaced(stack.omsUrl, headers, vault, { ...options, more }, submitted)
      .then(() => {
        const liveSeconds = (Date.now() - liveStarted) / 1000;
        if (liveSeconds > options.seconds + 1)
          console.log(
            `  live window extended to ${liveSeconds.toFixed(0)} s (${submitted.length} intents): the detail page had seen ${liveDetailSightings(sightings)} live timeline entries`,
          );
        return settle(stack.omsUrl, headers, submitted);
      })
      .finally(() => {
        isRunning = false;
      });
    // Together, so a failure of either is reported at once and neither is left unhandled.
    const profiler = await startPageProfiler(history, "history-live");
    const detailVisits: DetailVisit[] = [];
    const [finals, visits] = await Promise.all([
      work,
      detail ? rotateDetail(detail, submitted, trackInProgress(tap.received), () => isRunning, detailVisits) : 0,
      // `--save-trace DIR`: 10 s of the history page's main thread, from 5 s into the live window.
      sleep(5_000).then(() => tracePage(browser, history, "history-live", 10_000)),
      sleep(8_000).then(async () => console.log(`  history page: ${await frameRate(history)}`)),
    ]);
    await profiler?.stop();
    await sleep(1_000);

    const delivered = new Map<string, number>();
    for (const event of tap.received) {
      const key = `${event.intent_id} ${event.seq_num}`;
      delivered.set(key, Math.min(delivered.get(key) ?? Number.POSITIVE_INFINITY, event.arrivedAt));
    }
    const events = new Map<string, CommittedEvent[]>();
    const stepTimed = new Map<string, CommittedEvent[]>();
    for (const { id } of submitted) {
      const response = await fetch(`${stack.omsUrl}/defix/intents/${id}/events`, { headers });
      const list = ((await response.json()) as { events: CommittedEvent[] }).events;
      stepTimed.set(id, list);
      events.set(
        id,
        list.map((event) => ({ ...event, delivered_at: delivered.get(`${id} ${event.seq_num}`) })),
      );
    }
    const includedAt = await inclusionTimes(stack.rpcUrl, finals, watcher);
    const samples = pairSightings(events, sightings, includedAt);
    const fromStepTime = pairSightings(stepTimed, sightings, includedAt).history;
    const newRows = newRowPath(events, sightings, await intentFetches(history));
    const dump = path.join(ROOT, ".data", "bench", `browser-latency-${Date.now()}.json`);
    mkdirSync(path.dirname(dump), { recursive: true });
    writeFileSync(
      dump,
      JSON.stringify({
        submitted,
        events: Object.fromEntries(events),
        sightings,
        includedAt: Object.fromEntries(includedAt),
        detailVisits,
        detailLongTasks,
        detailFrames,
      }),
    );
    console.log(`  raw sightings and events: ${dump}`);
    printSlowDetail(
      slowDetailSamples(events, sightings, detailVisits, TARGET_P99_MS, detailLongTasks, detailFrames),
      TARGET_P99_MS,
    );
    const completed = [...finals.values()].filter((intent) => intent.state === "COMPLETED").length;
    report(samples, newRows, tapNote(events, fromStepTime), {
      submitted: submitted.length,
      completed,
      visits,
      skewMs,
      included: includedAt.size,
    });
  } finally {
    await tap?.close();
    await watcher.stop();
    await browser.close();
    await stack.stop();
  }
}

function managerVault(stack: Stack): ManifestVault {
  const manager = devAccount(MANAGER).address.toLowerCase();
  const vault = stack.manifest.vaults.find((v) => v.primary_manager.toLowerCase() === manager);
  if (!vault) throw new Error(`dev account ${MANAGER} is primary manager of no vault`);
  return vault;
}

async function rpc(url: string, method: string, params: unknown[]): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
}

/** The tap's coverage, its lag behind the at-once events' own time, and the history figure from the steps' time. */
function tapNote(events: ReadonlyMap<string, readonly CommittedEvent[]>, fromStepTime: readonly number[]): string {
  const all = [...events.values()].flat();
  const tapped = all.filter((event) => event.delivered_at !== undefined);
  const atOnce = tapped
    .filter((event) => event.message_type === "INTENT_RECEIVED" || event.message_type === "INTENT_COMPLETED")
    .map((event) => commitTime(event) - Date.parse(event.created_at));
  return `commit = first delivery to a client of the OMS's own stream (${tapped.length} of ${all.length} events; RECEIVED/COMPLETED delivered p50 ${round(percentile(atOnce, 50))} ms after their own time); from the steps' own time instead: history p50 ${round(percentile(fromStepTime, 50))} / p99 ${round(percentile(fromStepTime, 99))} ms`;
}

/** How new rows reached the page: the fetch path's parts only when some row waited for its fetch. */
function newRowNote(newRows: NewRowPath): string {
  const shownWithout = `${newRows.withoutFetch} shown without a fetch first (from the stream's INTENT_RECEIVED, or a page poll)`;
  if (newRows.fetch.length === 0) return `new rows: ${shownWithout}`;
  return `new rows: ${newRows.fetch.length} after a fetch: commit → fetch start p50 ${round(percentile(newRows.commitToFetch, 50))} ms, GET /api/oms/intents/{id} p50 ${round(percentile(newRows.fetch, 50))} ms (p99 ${round(percentile(newRows.fetch, 99))}; of it queued in the browser for a connection p50 ${round(percentile(newRows.queued, 50))} ms), answer → row p50 ${round(percentile(newRows.fetchToRow, 50))} ms; ${shownWithout}`;
}

function report(
  samples: LatencySamples,
  newRows: NewRowPath,
  commitNote: string,
  run: { submitted: number; completed: number; visits: number; skewMs: number; included: number },
): void {
  const pair = (values: readonly number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  const history = pair(samples.history);
  const detail = pair(samples.detail);
  const clock = `browser clock − bench clock ${round(run.skewMs, 1)} ms`;
  const byState = [...samples.historyByState]
    .map(([state, values]) => `${state} ${round(percentile(values, 50))}/${round(percentile(values, 99))}`)
    .join(", ");
  record({
    name: "live: commit → history row shows the state (Chromium), p50",
    value: history.p50,
    unit: "ms",
    target: `p50 ≤ ${TARGET_P50_MS} ms, p99 ≤ ${TARGET_P99_MS} ms`,
    met: history.p50 <= TARGET_P50_MS && history.p99 <= TARGET_P99_MS,
    note: `p99 ${round(history.p99)} ms; p50/p99 by state: ${byState}; ${newRowNote(newRows)}; ${samples.history.length} transitions, ${samples.historyUnseen} never shown (superseded within one UI batch, or the row out of view); ${run.completed}/${run.submitted} COMPLETED; ${clock}; ${commitNote}`,
  });
  if (run.visits > 0)
    record({
      name: "live: commit → detail timeline shows the event (Chromium), p50",
      value: detail.p50,
      unit: "ms",
      target: `p50 ≤ ${TARGET_P50_MS} ms, p99 ≤ ${TARGET_P99_MS} ms`,
      met: samples.detail.length >= MIN_SAMPLES && detail.p50 <= TARGET_P50_MS && detail.p99 <= TARGET_P99_MS,
      note: `p99 ${round(detail.p99)} ms; ${samples.detail.length} live events${samples.detail.length < MIN_SAMPLES ? ` (fewer than ${MIN_SAMPLES}: not judged)` : ""} over ${run.visits} detail visits (${samples.detailPreloaded} already loaded at first render, left out)`,
    });
  const inclusion = percentile(samples.inclusionToCompleted, 50);
  const limit = BLOCK_SECONDS * 1000 + TARGET_INCLUSION_EXTRA_MS;
  record({
    name: "live: inclusion (block first seen, 20 ms watcher) → history row COMPLETED, p50",
    value: inclusion,
    unit: "ms",
    target: `≤ ${limit} ms (one ${BLOCK_SECONDS} s block + ${TARGET_INCLUSION_EXTRA_MS} ms)`,
    met: inclusion <= limit,
    note: `p95 ${round(percentile(samples.inclusionToCompleted, 95))} ms; of which block seen → OMS commits COMPLETED p50 ${round(percentile(samples.inclusionToCommit, 50))} ms, that commit → row p50 ${round(percentile(samples.completedCommitToRow, 50))} ms; ${samples.inclusionToCompleted.length} of ${run.included} included intents seen COMPLETED in the history`,
  });
}
