import { expect, test } from "./fixtures/test";
import { TEST_WALLET_NAME } from "./fixtures/wallet";
import { CanvasPage } from "./pages/canvas-page";
import { IntentsPage, OmsDriver } from "./pages/intents-page";
import { SignInPage } from "./pages/signin-page";

/**
 * The console agrees with itself: one cache behind every page, so a change made on one page shows
 * on the next at once, counts never disagree with the rows they count, and names are the same
 * everywhere. Account 2 is the primary manager of Gamma (whose key only the canvas specs touch).
 */
const STRATEGY = "Deploy idle assets";

test.describe("one cache for every page", () => {
  test.use({ accountIndex: 2 });

  test("a key granted on the canvas shows as ready on the Overview at once", async ({
    page,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    test.setTimeout(120_000);
    const oms = new OmsDriver(request, stack, 2);
    const gamma = oms.vault("Gamma");
    await oms.ensureNoSessionKey(gamma.vault_id);
    await signIn(2);
    const ui = new IntentsPage(page);
    const canvas = new CanvasPage(page);

    await ui.gotoOverview();
    const card = ui.vaultCard(gamma.vault_id);
    await expect(card.locator("[data-ready]")).toHaveAttribute("data-ready", "false");

    // Client-side navigation both ways: the Overview's readiness stays in the page's cache meanwhile.
    await card.getByRole("link", { name: "Open canvas" }).click();
    await expect(canvas.gate).toBeVisible();
    await canvas.connectWallet();
    await canvas.grantButton.click();
    await canvas.signButton.click();
    await expect(canvas.gate).toBeHidden({ timeout: 45_000 });
    expect(wallet.requests).toContain("eth_sendTransaction");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
    await expect(page).toHaveURL(/\/$/);
    // Readiness polls every 45 s; the grant's refresh must reach this page, not wait for the next poll.
    await expect(card.locator("[data-ready]")).toHaveAttribute("data-ready", "true", { timeout: 5_000 });
  });
});

test.describe("figures and names agree with the rows", () => {
  test.beforeEach(async ({ signIn }) => {
    await signIn(1);
  });

  test("a session that ends while the canvas is open leads back to sign-in", async ({ page, request, stack }) => {
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    const canvas = new CanvasPage(page);
    await canvas.goto(alpha.vault_id);
    await expect(canvas.card(STRATEGY)).toBeVisible();
    await page.context().clearCookies();
    // The canvas polls its strategies every few seconds; the first 401 must end at sign-in.
    await expect(page).toHaveURL(/\/signin\?reason=expired/, { timeout: 20_000 });
  });

  test("the history's count never shows more rows than it counts while intents arrive live", async ({
    page,
    request,
    stack,
  }) => {
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    const strategyId = `e2e-count-${Date.now()}`;
    const ui = new IntentsPage(page);
    await ui.gotoHistory(`?strategy_id=${strategyId}`);
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live");
    await expect(ui.count).toHaveText("0 of 0 shown");
    // Every text the count ever shows, however briefly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __counts: string[] }).__counts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="intent-count"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const first = await oms.submitDeposit(alpha, strategyId);
    await expect(ui.row(first.id)).toBeVisible();
    const second = await oms.submitDeposit(alpha, strategyId);
    await expect(ui.row(second.id)).toBeVisible();
    await expect(ui.count).toHaveText("2 of 2 shown");
    await expect(ui.rowState(second.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
    await expect(ui.count).toHaveText("2 of 2 shown");

    const counts = await page.evaluate(() => (window as unknown as { __counts: string[] }).__counts);
    for (const text of counts) {
      const [shown, total] = (text.match(/\d+/g) ?? []).map(Number);
      expect(shown, `count read "${text}"`).toBeLessThanOrEqual(total ?? Number.NaN);
    }
  });

  test("the intent detail names the strategy as the history does, and falls back to its id", async ({
    page,
    request,
    stack,
  }) => {
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    const list = await page.request.get(`/api/runner/strategies?vault_id=${encodeURIComponent(alpha.vault_id)}`);
    const strategies = ((await list.json()) as { strategies: { strategy_id: string; name: string }[] }).strategies;
    const strategy = strategies.find((candidate) => candidate.name === STRATEGY);
    if (!strategy) throw new Error(`no "${STRATEGY}" strategy on ${alpha.name}`);
    const intent = await oms.submitDeposit(alpha, strategy.strategy_id);
    const ui = new IntentsPage(page);

    await ui.gotoDetail(intent.id);
    const field = ui.summaryField("Strategy").getByTitle(strategy.strategy_id);
    await expect(field).toHaveText(STRATEGY);

    // The runner unreachable: the id (its lane, the vault is named beside it), as the history shows it then.
    await page.route("**/api/runner/**", (route) => route.fulfill({ status: 502, body: "" }));
    await page.reload();
    await expect(field).toHaveText(strategy.strategy_id.replace(`${alpha.vault_id.replace(":", "-")}-`, ""));
    await page.unroute("**/api/runner/**");
    await oms.cancel(intent.id).catch(() => undefined);
  });
});

test.describe("sign-in wallet list and page hygiene", () => {
  test("the connect modal lists an injected wallet that announces itself once", async ({ page, wallet }) => {
    expect(wallet.address).toMatch(/^0x/);
    const signin = new SignInPage(page);
    await signin.goto();
    await signin.openConnectModal();
    await expect(signin.connectDialog.getByRole("button", { name: TEST_WALLET_NAME })).toHaveCount(1);
    await expect(signin.connectDialog.getByRole("button", { name: "Browser Wallet" })).toHaveCount(0);
  });

  test("a wallet that only sets window.ethereum is still offered", async ({ page }) => {
    await page.addInitScript({
      content: `window.ethereum = { request: async () => { throw new Error("not in this test"); }, on() {}, removeListener() {} };`,
    });
    const signin = new SignInPage(page);
    await signin.goto();
    await expect(async () => {
      if (!(await signin.connectDialog.isVisible())) await signin.connectButton.click({ timeout: 2_000 });
      await expect(signin.connectDialog.getByRole("button", { name: "Browser Wallet" })).toBeVisible({
        timeout: 1_000,
      });
    }).toPass({ timeout: 30_000 });
  });

  test("pages load without console errors and the favicon is served", async ({ page, signIn }) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));

    await page.goto("/signin", { waitUntil: "networkidle" });
    await signIn(1);
    // Not "networkidle": the app shell keeps the bell's live alert stream open on every page.
    await page.goto("/", { waitUntil: "load" });
    await expect(page.locator("article[data-vault-id]").first()).toBeVisible();
    await expect(page.getByRole("status", { name: /loading/i })).toHaveCount(0);
    await page.goto("/intents", { waitUntil: "load" });
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
    // The shell's own queries (me, the approvals badge, the bell) land before a page's boundary hydrates:
    // every page must hydrate to what the server rendered all the same.
    for (const [path, heading] of [
      ["/approvals", "Approvals"],
      ["/alerts", "Alerts"],
    ] as const) {
      await page.goto(path, { waitUntil: "load" });
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(page.getByRole("status", { name: /loading/i })).toHaveCount(0);
    }
    expect(errors).toEqual([]);

    const favicon = await page.request.get("/favicon.ico");
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()["content-type"]).toMatch(/image\//);
  });
});
