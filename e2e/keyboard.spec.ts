import { expectFocusRing, tabTo } from "./fixtures/keyboard";
import { expect, test } from "./fixtures/test";
import { AppShell } from "./pages/app-shell";
import { CanvasPage } from "./pages/canvas-page";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

/**
 * The console without a mouse: every step below is a key press (the wallet itself signs, as the
 * manager's wallet would). Account 1 is the primary manager of Beta.
 */
test.describe("keyboard only", () => {
  test.use({ accountIndex: 1 });

  test("canvas grant → history → detail, with the shortcuts dialog returning focus", async ({
    page,
    request,
    stack,
    signIn,
    wallet: _wallet,
  }) => {
    test.setTimeout(150_000);
    const oms = new OmsDriver(request, stack, 1);
    const beta = oms.vault("Beta");
    await oms.ensureNoSessionKey(beta.vault_id);
    await signIn(1);
    const canvas = new CanvasPage(page);
    const shell = new AppShell(page);
    const ui = new IntentsPage(page);

    // The gate: connect the wallet and grant the key with Tab and Enter.
    await canvas.goto(beta.vault_id);
    await expect(canvas.gate).toBeVisible();
    await tabTo(page, canvas.connectButton);
    await page.keyboard.press("Enter");
    await expect(canvas.walletOption).toBeVisible();
    await expect(async () => {
      await page.keyboard.press("Tab");
      await expect(canvas.walletOption).toBeFocused({ timeout: 200 });
    }).toPass({ timeout: 10_000 });
    await page.keyboard.press("Enter");
    await expect(canvas.grantButton).toBeEnabled();
    await tabTo(page, canvas.grantButton);
    await page.keyboard.press("Enter");
    await expect(canvas.review).toBeFocused();
    await tabTo(page, canvas.signButton);
    await page.keyboard.press("Enter");
    await expect(canvas.gate).toBeHidden({ timeout: 45_000 });
    await expect(shell.announcer).toHaveText(/gate lifted/);

    // Intents to find (at least two rows to move between), submitted through the API.
    await oms.submitDeposit(beta);
    const intent = await oms.submitDeposit(beta);

    // `/` opens the history with its search focused; Tab reaches the rows; j/k move; Enter opens.
    await page.keyboard.press("/");
    await expect(page).toHaveURL(/\/intents$/);
    await expect(ui.search).toBeFocused();
    await expect(ui.row(intent.id)).toBeVisible();
    const first = ui.rows.first().getByRole("link");
    await tabTo(page, first, { max: 40 });
    await page.keyboard.press("j");
    await expect(ui.rows.nth(1).getByRole("link")).toBeFocused();
    await expectFocusRing(page);
    await page.keyboard.press("k");
    await expect(first).toBeFocused();
    const href = await first.getAttribute("href");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(ui.heading).toBeVisible();

    // `?` shows the shortcuts; Escape closes and focus returns where it was.
    const back = page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Intents" });
    await tabTo(page, back);
    await page.keyboard.press("?");
    await expect(shell.shortcutsDialog).toBeVisible();
    await expect(shell.shortcutsDialog).toContainText("Search intents");
    // Focus starts in the dialog and Tab cannot leave it.
    const close = shell.shortcutsDialog.getByRole("button", { name: "Close" });
    await expect(close).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(close).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await expect(close).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(shell.shortcutsDialog).toBeHidden();
    await expect(back).toBeFocused();
  });
});
