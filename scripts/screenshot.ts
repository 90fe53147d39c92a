import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM_LAUNCH_OPTIONS } from "../e2e/fixtures/chromium";
import type { StackInfo } from "../e2e/fixtures/env";
import { signInViaApi } from "../e2e/fixtures/session";
import { TestWallet } from "../e2e/fixtures/wallet";
import { OmsDriver } from "../e2e/pages/intents-page";
import { type Intent, isTerminalState } from "../lib/defix/intents";
import type { Strategy } from "../lib/defix/strategies";
import { startStack } from "./lib/stack";

/**
 * `npx tsx scripts/screenshot.ts`: the README screenshots. Starts its own stack on ports away from
 * `npm start` and the e2e suite, makes the world look used (Alpha's key granted, strategies running,
 * a handful of completed deposits), then captures sign-in, the overview, the history, one completed intent
 * and Alpha's canvas, each in the light and the dark theme.
 * Reuses the e2e helpers (they only need a BrowserContext/APIRequestContext, not the test runner).
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const OUT_DIR = path.join(ROOT, "docs", "screenshots");
const VIEWPORT = { width: 1440, height: 900 };
const MAX_PNG_BYTES = 400_000;
const MANAGER = 1;
const DEPOSITS_PER_VAULT = 3;
/** Every page in both themes (the browser's prefers-color-scheme; no theme cookie is set). */
const THEMES = ["light", "dark"] as const;

const stack = await startStack({
  dataDir: path.join(ROOT, ".data", "screenshot"),
  web: "prod",
  ports: { chain: 38545, oms: 38787, runner: 38788, web: 33000 },
  echo: process.env.QUIET === "0",
});
const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
let exitCode = 0;
try {
  const info: StackInfo = {
    webUrl: stack.webUrl,
    omsUrl: stack.omsUrl,
    rpcUrl: stack.rpcUrl,
    chainId: stack.manifest.chain_id,
    webhookReceiverUrl: stack.webhookReceiverUrl,
    dataDir: stack.dataDir,
    controlUrl: null,
  };
  const setup = await browser.newContext({ viewport: VIEWPORT, baseURL: stack.webUrl });
  await signInViaApi(setup, info.webUrl, info.chainId, MANAGER);
  const oms = new OmsDriver(setup.request, info, MANAGER);
  const alpha = oms.vault("Alpha");
  const beta = oms.vault("Beta");
  await oms.ensureSessionKey(alpha.vault_id);
  await oms.ensureSessionKey(beta.vault_id);
  console.log("session keys granted on Alpha and Beta");

  const started = await startStrategies(setup, alpha.vault_id, 2);
  console.log(`strategies RUNNING on Alpha: ${started.join(", ") || "none"}`);

  const submitted: Intent[] = [];
  for (const vault of [alpha, beta]) {
    for (let n = 0; n < DEPOSITS_PER_VAULT; n++) submitted.push(await oms.submitDeposit(vault));
  }
  const completed = await waitForCompleted(oms, submitted, 90_000);
  console.log(`${completed.length}/${submitted.length} submitted intents COMPLETED`);
  const shown = completed[completed.length - 1];
  if (!shown) throw new Error("no intent completed: nothing to show on the detail page");

  mkdirSync(OUT_DIR, { recursive: true });
  for (const theme of THEMES) {
    const context = await browser.newContext({ viewport: VIEWPORT, baseURL: stack.webUrl, colorScheme: theme });
    const page = await context.newPage();
    await new TestWallet(page, info.rpcUrl, info.chainId, MANAGER).install();
    await page.goto("/signin");
    await page.getByRole("heading", { name: "Sign in to the DeFiX console" }).waitFor();
    await shoot(page, `signin-${theme}.png`);

    await signInViaApi(context, info.webUrl, info.chainId, MANAGER);
    await page.goto("/");
    await page.locator(`article[data-vault-id="${alpha.vault_id}"] svg[role=img]`).waitFor();
    await shoot(page, `overview-${theme}.png`);

    await page.goto("/intents");
    await page.getByTestId("intent-table").locator("tbody tr[data-intent-id]").first().waitFor();
    await shoot(page, `intents-${theme}.png`);

    await page.goto(`/intents/${shown.id}`);
    await page.getByTestId("lifecycle-strip").waitFor();
    await page.getByTestId("event-timeline").waitFor();
    await shoot(page, `intent-detail-${theme}.png`);

    await page.goto(`/vaults/${encodeURIComponent(alpha.vault_id)}/canvas`);
    await page.getByRole("region", { name: "Session key", exact: true }).waitFor();
    await page.getByText("Deploy idle assets").first().waitFor();
    await shoot(page, `canvas-${theme}.png`);
    await context.close();
  }

  await stopStrategies(setup, alpha.vault_id);
  await setup.close();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  exitCode = 1;
} finally {
  await browser.close();
  await stack.stop();
}
process.exit(exitCode);

/** Through the dashboard's runner proxy, as the canvas switch does (session cookie + same-origin header). */
async function listStrategies(context: BrowserContext, vaultId: string): Promise<Strategy[]> {
  const response = await context.request.get(`/api/runner/strategies?vault_id=${encodeURIComponent(vaultId)}`);
  if (!response.ok()) throw new Error(`strategy list: HTTP ${response.status()}`);
  return ((await response.json()) as { strategies: Strategy[] }).strategies;
}

async function setStrategyState(context: BrowserContext, strategy: Strategy, state: Strategy["state"]): Promise<void> {
  const response = await context.request.put(`/api/runner/strategies/${strategy.strategy_id}/state`, {
    data: { state, expected_version: strategy.version },
    headers: { origin: new URL(stack.webUrl).origin },
  });
  if (!response.ok()) throw new Error(`strategy ${strategy.strategy_id} → ${state}: HTTP ${response.status()}`);
}

async function startStrategies(context: BrowserContext, vaultId: string, count: number): Promise<string[]> {
  const idle = (await listStrategies(context, vaultId)).filter((s) => s.state !== "RUNNING").slice(0, count);
  for (const strategy of idle) await setStrategyState(context, strategy, "RUNNING");
  return idle.map((strategy) => strategy.name);
}

/** Leaves the runner quiet while the page is captured and the stack stops. */
async function stopStrategies(context: BrowserContext, vaultId: string): Promise<void> {
  for (const strategy of await listStrategies(context, vaultId)) {
    if (strategy.state === "RUNNING") await setStrategyState(context, strategy, "IDLE");
  }
}

async function waitForCompleted(driver: OmsDriver, intents: Intent[], timeoutMs: number): Promise<Intent[]> {
  const deadline = Date.now() + timeoutMs;
  let latest: Intent[] = intents;
  while (Date.now() < deadline) {
    latest = await Promise.all(intents.map((intent) => driver.intent(intent.id)));
    if (latest.every((intent) => isTerminalState(intent.state))) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return latest.filter((intent) => intent.state === "COMPLETED");
}

async function shoot(page: Page, name: string): Promise<void> {
  // Fonts and the live list settle after load; networkidle never comes with the live stream open.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(1_500);
  const file = path.join(OUT_DIR, name);
  await page.screenshot({ path: file, type: "png" });
  const bytes = statSync(file).size;
  console.log(
    `${path.relative(ROOT, file)}: ${Math.round(bytes / 1024)} kB${bytes > MAX_PNG_BYTES ? " (over 400 kB!)" : ""}`,
  );
  if (bytes > MAX_PNG_BYTES) throw new Error(`${name} is ${bytes} bytes, over the ${MAX_PNG_BYTES} byte budget`);
}
