import { expect, test } from "./fixtures/test";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

/**
 * The intent monitor against the real stack: intents are submitted through the OMS API with a
 * manager's bearer token, executed on the local chain by the OMS, and watched in the browser.
 * Account 1 is the primary manager of Alpha and Beta.
 */
test.describe("intent monitor", () => {
  test.beforeEach(async ({ signIn }) => {
    await signIn(1);
  });

  test("history shows intents live and keeps its filters in a shareable URL", async ({ page, request, stack }) => {
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    const ui = new IntentsPage(page);

    await ui.gotoHistory();
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live");
    const intent = await oms.submitDeposit(alpha);
    await expect(ui.row(intent.id)).toBeVisible();
    await expect(ui.rowState(intent.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
    await expect(ui.row(intent.id)).toContainText("Alpha Vault");
    await expect(ui.row(intent.id)).toContainText("dUSD");

    await ui.vaultFilter.selectOption(alpha.vault_id);
    await ui.toggleState("COMPLETED");
    await expect(page).toHaveURL(/vault_id=31337(:|%3A)0x[0-9a-f]{40}/);
    await expect(page).toHaveURL(/state=COMPLETED/);
    await expect(ui.row(intent.id)).toBeVisible();
    const shared = page.url();

    await page.reload();
    await expect(ui.vaultFilter).toHaveValue(alpha.vault_id);
    await expect(ui.stateChip("COMPLETED")).toHaveAttribute("aria-pressed", "true");
    await expect(ui.row(intent.id)).toBeVisible();

    const second = new IntentsPage(await page.context().newPage());
    await second.page.goto(shared);
    await expect(second.vaultFilter).toHaveValue(alpha.vault_id);
    await expect(second.row(intent.id)).toBeVisible();
    await second.page.close();

    // A custom window that ends before the intent existed hides it; going back to "Any time" shows it.
    await ui.rangeFilter.selectOption("custom");
    await ui.createdBefore.fill("2020-01-01T00:00");
    await expect(page).toHaveURL(/[?&]to=20(19|20)-/);
    await expect(ui.row(intent.id)).toHaveCount(0);
    await page.reload();
    await expect(ui.createdBefore).toHaveValue("2020-01-01T00:00");
    await expect(ui.row(intent.id)).toHaveCount(0);
    // The server-rendered select is there before React: a choice made before hydration is reset by it.
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live");
    await ui.rangeFilter.selectOption("");
    await expect(page).not.toHaveURL(/[?&]to=/);
    await expect(ui.row(intent.id)).toBeVisible();

    const done = await oms.intent(intent.id);
    expect(done.tx_hash).not.toBeNull();
    await ui.search.fill(done.tx_hash ?? "");
    await expect(page).toHaveURL(/q=0x/);
    await expect(ui.rows).toHaveCount(1);
    await expect(ui.row(intent.id)).toBeVisible();
    // Opening a row is a client-side navigation: the page (and its live stream, its cache) is not loaded again.
    await page.evaluate(() => {
      (window as unknown as { stillHere?: boolean }).stillHere = true;
    });
    await ui.openIntent(intent.id);
    await expect(page).toHaveURL(new RegExp(`/intents/${intent.id}$`));
    await expect(ui.headerState).toHaveAttribute("data-state", "COMPLETED");
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  });

  test("detail explains the wait, then follows the intent to COMPLETED live with fills on chain", async ({
    page,
    request,
    stack,
  }) => {
    const oms = new OmsDriver(request, stack, 1);
    const beta = oms.vault("Beta");
    await oms.ensureNoSessionKey(beta.vault_id);
    const intent = await oms.submitDeposit(beta);
    const ui = new IntentsPage(page);

    // Opened from a link, the tab's stream (held by the nav's approvals badge on every page) connects while the
    // intent's log loads, not once it has: the log's answer is held until the stream is asked for (or 10 s).
    let streamAskedAt: number | null = null;
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/oms/stream") streamAskedAt ??= Date.now();
    });
    let logHeldFor = 0;
    await page.route(`**/api/oms/intents/${intent.id}/events?**`, async (route) => {
      const heldAt = Date.now();
      while (streamAskedAt === null && Date.now() - heldAt < 10_000) await new Promise((r) => setTimeout(r, 50));
      logHeldFor = Math.max(logHeldFor, Date.now() - heldAt);
      await route.fallback();
    });
    await ui.gotoDetail(intent.id);
    await expect(ui.lifecycleStep("ACKED")).toHaveAttribute("data-kind", "current", { timeout: 30_000 });
    expect(streamAskedAt, "the stream was asked for while the log was held").not.toBeNull();
    expect(logHeldFor).toBeLessThan(10_000);
    await page.unroute(`**/api/oms/intents/${intent.id}/events?**`);
    await expect(ui.waitingLine).toContainText(/session key/i);
    await expect(ui.timelineEvent("INTENT_ACKED")).toBeVisible();

    await oms.ensureSessionKey(beta.vault_id);
    await expect(ui.headerState).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
    await expect(ui.lifecycleStep("COMPLETED")).toHaveAttribute("data-kind", "completed");
    await expect(ui.lifecycleStep("EXECUTING")).toHaveAttribute("data-kind", "done");
    await expect(ui.timelineEvent("INTENT_COMPLETED")).toBeVisible();
    await expect(ui.waitingLine).toHaveCount(0);

    const fill = ui.fillRows.first();
    await expect(fill).toBeVisible();
    await expect(fill).toContainText("dUSD");
    await expect(fill).not.toContainText("awaiting receipt", { timeout: 15_000 });
    const hash = await fill.getAttribute("data-tx-hash");
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await oms.receipt(hash as `0x${string}`);
    expect(receipt.status).toBe("success");
    // The audit chain panel followed too (its proof is fetched once the live events settle): its head is the last event.
    await expect
      .poll(async () => {
        const last = (await oms.events(intent.id)).at(-1)?.seq_num;
        return (await page.getByTestId("chain-head").textContent())?.startsWith(`seq ${last} `) ?? false;
      })
      .toBe(true);
    await expect(page.getByTestId("chain-updating")).toHaveCount(0);
  });

  test("a manager cancels an intent that has not executed", async ({ page, request, stack }) => {
    const oms = new OmsDriver(request, stack, 1);
    const beta = oms.vault("Beta");
    await oms.ensureNoSessionKey(beta.vault_id);
    const intent = await oms.submitDeposit(beta);
    const ui = new IntentsPage(page);

    await ui.gotoDetail(intent.id);
    await expect(ui.lifecycleStep("ACKED")).toHaveAttribute("data-kind", "current", { timeout: 30_000 });
    await ui.cancelButton.click();
    await expect(ui.dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(ui.dialog).toBeHidden();
    expect((await oms.intent(intent.id)).state).toBe("ACKED");

    await ui.cancelIntent();
    await expect(ui.headerState).toHaveAttribute("data-state", "CANCELED");
    await expect(ui.cancelButton).toHaveCount(0);
    await expect(ui.lifecycleStep("CANCELED")).toHaveAttribute("data-kind", "exit");
    await expect(ui.timelineEvent("INTENT_CANCELED")).toBeVisible();
    expect((await oms.intent(intent.id)).state).toBe("CANCELED");
  });

  test("Refine now shows what a waiting intent would do at the head, and why it would fail", async ({
    page,
    request,
    stack,
  }) => {
    const oms = new OmsDriver(request, stack, 1);
    const beta = oms.vault("Beta");
    await oms.ensureNoSessionKey(beta.vault_id);
    const intent = await oms.submitDeposit(beta);
    const ui = new IntentsPage(page);
    try {
      await ui.gotoDetail(intent.id);
      await expect(ui.lifecycleStep("ACKED")).toHaveAttribute("data-kind", "current", { timeout: 30_000 });
      await ui.refineButton.click();
      await expect(ui.refineResult).toHaveAttribute("data-outcome", "FAILED");
      // The same hint an execution would get, in words, with the decoded revert.
      await expect(ui.refineResult.getByRole("alert")).toContainText("No valid session key");
      await expect(ui.refineResult.getByRole("alert")).toContainText("InvalidSessionKey");
      await expect(ui.refinePlan).toContainText("Deposit4626Hook");
      await expect(ui.refinePlan).toContainText("not planned yet");
      await expect(ui.refineButton).toHaveText("Refine again");
      // Refining changed nothing about the intent.
      expect((await oms.intent(intent.id)).state).toBe("ACKED");
    } finally {
      await oms.cancel(intent.id);
    }
  });

  test("a view-only user follows an intent but is not offered cancel", async ({ page, request, stack, signIn }) => {
    const manager = new OmsDriver(request, stack, 1);
    const alpha = manager.vault("Alpha");
    await manager.ensureNoSessionKey(alpha.vault_id);
    const intent = await manager.submitDeposit(alpha);
    try {
      await page.context().clearCookies();
      await signIn(3);
      const ui = new IntentsPage(page);
      await ui.gotoDetail(intent.id);
      await expect(ui.lifecycleStep("ACKED")).toHaveAttribute("data-kind", "current", { timeout: 30_000 });
      await expect(ui.waitingLine).toContainText(/session key/i);
      await expect(ui.cancelButton).toHaveCount(0);
    } finally {
      await manager.cancel(intent.id);
    }
  });

  test("an OMS outage shows as stale, then as 'OMS unreachable' with a working retry", async ({
    page,
    request,
    stack,
  }) => {
    test.skip(stack.controlUrl === null, "the outage test needs the suite's own stack (E2E_BASE_URL is set)");
    const oms = new OmsDriver(request, stack, 1);
    const ui = new IntentsPage(page);
    await ui.gotoHistory();
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live");

    let isOmsDown = false;
    try {
      await oms.setOms(false);
      isOmsDown = true;
      await expect(ui.liveIndicator).toHaveAttribute("data-status", "stale");
      await ui.gotoHistory();
      await expect(ui.errorAlert).toContainText("OMS unreachable");
      await oms.setOms(true);
      isOmsDown = false;
      // The user's Retry brings the history back, unless the page's own reconnect (the stream coming back
      // refetches) already did and took the button away: on a loaded machine that race goes either way.
      const history = ui.table.or(page.getByRole("heading", { name: /No intents/ }));
      await expect(async () => {
        if (!(await history.isVisible())) await ui.retryButton.click({ timeout: 2_000 });
        await expect(history).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
      await expect(ui.liveIndicator).toHaveAttribute("data-status", "live", { timeout: 30_000 });
    } finally {
      if (isOmsDown) await oms.setOms(true);
    }
  });
});
