import { armRenderProbe, installRenderProbe, readRenderProbe } from "./fixtures/render-probe";
import { expect, test } from "./fixtures/test";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

/**
 * The history under live load: intents arrive ten a second in production, so a row arriving must cost that row
 * and nothing more. Counted in Chromium by a probe on the page (renders of each row's component, layout reads of the
 * table), not timed: what is counted does not depend on the machine's speed.
 */
test.describe("history under live updates", () => {
  test("a row arriving on top renders that row alone, restyles no other row and reads no layout of the table", async ({
    page,
    request,
    stack,
    signIn,
  }) => {
    await installRenderProbe(page);
    await signIn(1);
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    // Rows already in view, which the new one pushes down.
    await oms.submitDeposit(alpha);
    const before = await oms.submitDeposit(alpha);
    const ui = new IntentsPage(page);
    await ui.gotoHistory();
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live");
    await expect(ui.rowState(before.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
    const rowsBefore = await ui.rows.count();
    expect(rowsBefore).toBeGreaterThanOrEqual(2);

    await armRenderProbe(page);
    const intent = await oms.submitDeposit(alpha);
    await expect(ui.rowState(intent.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
    await expect(ui.rows.first()).toHaveAttribute("data-intent-id", intent.id);
    const counts = await readRenderProbe(page);

    // The probe saw the page: the new row mounted and rendered again as its state moved.
    expect(counts.commits).toBeGreaterThan(0);
    expect(counts.rowRenders[intent.id] ?? 0).toBeGreaterThanOrEqual(2);
    // The rows it pushed down did not render (a prop such as the row's index would render every one of them).
    expect(counts.wastedRowRenders).toEqual([]);
    // No size or scroll position read of the table: the window is computed from what resize and scroll events gave.
    expect(counts.tableLayoutReads).toEqual([]);
    // No row's style written: rows sit in normal flow, so the arrival does not restyle each row below it at a new place.
    expect(counts.rowStyleWrites).toEqual([]);
  });

  test("an intent that arrives while the list is still loading shows once it has, and is counted", async ({
    page,
    request,
    stack,
    signIn,
  }) => {
    await signIn(1);
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    const strategyId = `e2e-loading-${Date.now()}`;
    // The page's list is read before the intent exists and answered only after the intent has run its course, so
    // its events (on the tab's stream, open for the nav's badge) reach the page while the list is still loading.
    const submitted: { id: string | null; isHolding: boolean } = { id: null, isHolding: false };
    await page.route(`**/api/oms/intents?*strategy_id=${strategyId}*`, async (route) => {
      // The first read alone (later ones, the stream's catch-up among them, go through).
      if (submitted.isHolding) return route.fallback();
      submitted.isHolding = true;
      const response = await route.fetch();
      submitted.id = (await oms.submitDeposit(alpha, strategyId)).id;
      await oms.waitForState(submitted.id, "COMPLETED");
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.fulfill({ response });
    });
    const ui = new IntentsPage(page);
    await ui.gotoHistory(`?strategy_id=${strategyId}`);
    await expect.poll(() => submitted.id, { timeout: 45_000 }).not.toBeNull();
    const id = submitted.id ?? "";
    await expect(ui.rowState(id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 10_000 });
    await expect(ui.count).toHaveText("1 of 1 shown");
  });
});
