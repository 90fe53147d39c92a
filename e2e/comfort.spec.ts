import { expect, test } from "./fixtures/test";
import { AppShell } from "./pages/app-shell";
import { CanvasPage } from "./pages/canvas-page";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

/**
 * A day of watching: the theme follows the system until the user picks one (and keeps it), the pages
 * fit common screens without sideways scrolling, the history reads at a glance, and outcomes are
 * announced to screen readers. Account 1 is the primary manager of Alpha and Beta.
 */
test.describe("theme", () => {
  test.use({ colorScheme: "dark" });

  test("follows the system, and a chosen theme persists across reloads", async ({ page, signIn }) => {
    await signIn(1);
    const shell = new AppShell(page);
    await page.goto("/");
    await expect(shell.themeToggle).toHaveText(/Theme: System/);
    expect(await shell.renderedScheme()).toBe("dark");

    await shell.themeToggle.press("Enter");
    await expect(shell.themeToggle).toHaveText(/Theme: Light/);
    expect(await shell.renderedScheme()).toBe("light");

    // The server renders the choice: <html> has it before any script runs.
    const response = await page.reload();
    expect(await response?.text()).toMatch(/<html[^>]*class="light"/);
    expect(await shell.renderedScheme()).toBe("light");

    await shell.themeToggle.press("Enter");
    await expect(shell.themeToggle).toHaveText(/Theme: Dark/);
    await shell.themeToggle.press("Enter");
    await expect(shell.themeToggle).toHaveText(/Theme: System/);
    await page.reload();
    expect(await shell.renderedScheme()).toBe("dark");
  });
});

test.describe("layout and reading", () => {
  test.beforeEach(async ({ signIn }) => {
    await signIn(1);
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    test(`no horizontal scrolling at ${viewport.width}×${viewport.height}`, async ({ page, request, stack }) => {
      await page.setViewportSize(viewport);
      const oms = new OmsDriver(request, stack, 1);
      const alpha = oms.vault("Alpha");
      await oms.ensureSessionKey(alpha.vault_id);
      const intent = await oms.submitDeposit(alpha);
      const ui = new IntentsPage(page);
      const fitsWidth = () =>
        page.evaluate(() =>
          [document.documentElement, ...document.querySelectorAll("[data-testid=intent-table]")].every(
            (element) => element.scrollWidth <= element.clientWidth,
          ),
        );

      await ui.gotoOverview();
      await expect(ui.vaultCard(alpha.vault_id)).toBeVisible();
      expect(await fitsWidth(), "overview").toBe(true);
      await ui.gotoHistory();
      await expect(ui.row(intent.id)).toBeVisible();
      expect(await fitsWidth(), "history").toBe(true);
      await ui.gotoDetail(intent.id);
      await expect(ui.headerState).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
      expect(await fitsWidth(), "detail").toBe(true);
      const canvas = new CanvasPage(page);
      await canvas.goto(alpha.vault_id);
      await expect(canvas.keyStatus).toBeVisible();
      expect(await fitsWidth(), "canvas").toBe(true);
    });
  }

  test("the sidebar folds behind a Menu button on a narrow window", async ({ page }) => {
    await page.setViewportSize({ width: 900, height: 800 });
    const shell = new AppShell(page);
    await page.goto("/");
    await expect(shell.nav).toBeHidden();
    await shell.openMenuWithKeyboard();
    await expect(shell.nav).toBeVisible();
    await shell.nav.getByRole("link", { name: "Intents" }).press("Enter");
    await expect(page).toHaveURL(/\/intents$/);
    await expect(shell.nav).toBeHidden();
  });

  test("history rows: one relative time with the exact one on hover; outcomes are announced", async ({
    page,
    request,
    stack,
  }) => {
    const oms = new OmsDriver(request, stack, 1);
    const beta = oms.vault("Beta");
    await oms.ensureNoSessionKey(beta.vault_id);
    const intent = await oms.submitDeposit(beta);
    const ui = new IntentsPage(page);
    const shell = new AppShell(page);

    await ui.gotoHistory();
    await expect(ui.rowState(intent.id)).toHaveAttribute("data-state", "ACKED", { timeout: 30_000 });
    const created = ui.row(intent.id).locator("time");
    await expect(created).toHaveCount(1);
    await expect(created).toHaveText(/ago|just now/);
    await expect(created).toHaveAttribute("title", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC$/);
    await expect(ui.row(intent.id)).not.toContainText("upd");
    // The truncated hash cell and its copy button carry the full value for assistive tech.
    await expect(ui.row(intent.id).getByRole("link")).toHaveAccessibleName(new RegExp(intent.id));

    // Watched in flight, then final: said once, politely (other Beta intents left waiting, and the alert the new key
    // raises, may be said with it or just before or after it).
    const announced = await shell.recordAnnouncements();
    await oms.ensureSessionKey(beta.vault_id);
    await expect(ui.rowState(intent.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
    const ours = new RegExp(`${intent.id.slice(0, 8)} completed|intents finished: .*completed`);
    await expect.poll(async () => (await announced()).filter((sentence) => ours.test(sentence))).toHaveLength(1);
    const done = await oms.intent(intent.id);
    const copy = ui.row(intent.id).getByRole("button", { name: `Copy transaction hash ${done.tx_hash}` });
    await expect(copy).toBeVisible();
  });

  test("a list that fails while the stream stays live shows its error, without refetching in a loop, and Retry brings it back", async ({
    page,
  }) => {
    let listRequests = 0;
    await page.route("**/api/oms/intents?**", (route) => {
      // The history's own list; the nav badge's approvals queue (approval_status=pending) refetches on stream events.
      if (!new URL(route.request().url()).searchParams.has("approval_status")) listRequests += 1;
      return route.fulfill({
        status: 502,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "UPSTREAM_UNAVAILABLE", message: "OMS unreachable" } }),
      });
    });
    const ui = new IntentsPage(page);
    await ui.gotoHistory();
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live");
    await expect(ui.errorAlert).toBeVisible();
    const settled = listRequests;
    await page.waitForTimeout(3_000);
    expect(listRequests - settled).toBe(0);

    // The stream stays up, so nothing recovers by itself: only the user's Retry fetches the list again.
    await page.unroute("**/api/oms/intents?**");
    await ui.retryButton.click();
    await expect(ui.table.or(page.getByRole("heading", { name: /No intents/ }))).toBeVisible();
    await expect(ui.errorAlert).toBeHidden();
  });
});
