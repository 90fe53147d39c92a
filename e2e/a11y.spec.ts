import { expectAccessible, failWithUpstreamError, holdIntentLists } from "./fixtures/a11y";
import { expect, test } from "./fixtures/test";
import { ApprovalsPage, putApprovalPolicy } from "./pages/approvals-page";
import { CanvasPage } from "./pages/canvas-page";
import { IntentsPage, OmsDriver } from "./pages/intents-page";
import { SignInPage } from "./pages/signin-page";
import { WebhooksPage } from "./pages/webhooks-page";

/**
 * WCAG 2.1 A/AA with axe-core on every page a manager walks through, in the states they see it in
 * (loading, empty, populated, error, the gate open, dialogs open), in both colour schemes. Account 1
 * is the primary manager of Alpha and Beta.
 */
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`accessibility (${colorScheme})`, () => {
    test.use({ colorScheme });

    test("sign-in page and its connect dialog", async ({ page, wallet: _wallet }) => {
      const signin = new SignInPage(page);
      await signin.goto();
      await expect(signin.heading).toBeVisible();
      await expectAccessible(page, "sign-in");
      await signin.openConnectModal();
      await expectAccessible(page, "sign-in, connect dialog open");
    });

    test("overview: loading, populated, and the shortcuts dialog", async ({ page, request, stack, signIn }) => {
      await signIn(1);
      const oms = new OmsDriver(request, stack, 1);
      await oms.ensureSessionKey(oms.vault("Alpha").vault_id);
      const ui = new IntentsPage(page);

      const release = await holdIntentLists(page);
      await ui.gotoOverview();
      await expect(page.getByRole("status", { name: /loading/i }).first()).toBeVisible();
      await expectAccessible(page, "overview, loading");
      await release();

      await expect(ui.vaultCard(oms.vault("Alpha").vault_id)).toBeVisible();
      await expect(page.getByRole("status", { name: /loading/i })).toHaveCount(0);
      await expectAccessible(page, "overview, populated");

      await page.locator("body").press("?");
      await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
      await expectAccessible(page, "overview, shortcuts dialog open");
    });

    test("alerts: the bell's panel open, the history page populated and in error", async ({
      page,
      request,
      stack,
      signIn,
    }) => {
      test.setTimeout(120_000); // waits for an intent to end, then three page states
      await signIn(1);
      const oms = new OmsDriver(request, stack, 1);
      const alpha = oms.vault("Alpha");
      await oms.ensureSessionKey(alpha.vault_id);
      const aborted = await oms.submitDeposit(alpha, "e2e-a11y-alerts", { badProof: true });
      await expect.poll(async () => (await oms.intent(aborted.id)).state, { timeout: 30_000 }).toBe("ABORTED");
      const ui = new IntentsPage(page);
      await ui.gotoOverview();
      await expect(page.getByTestId("key-expiry-strip")).toBeVisible();
      await page.getByTestId("alert-bell").click();
      await expect(page.getByRole("region", { name: "Alerts" }).getByTestId("alert-item").first()).toBeVisible();
      await expectAccessible(page, "overview, expiry strip and alerts panel open");

      await page.goto("/alerts");
      await expect(page.getByTestId("alert-history")).toBeVisible();
      await expectAccessible(page, "alerts page, populated");
      const thresholds = page.getByTestId("alert-settings");
      await thresholds.getByLabel(/Intent waiting longer than/).fill("0");
      await thresholds.getByRole("button", { name: "Save thresholds" }).click();
      await expect(thresholds.getByText(/^Between 1 and/)).toBeVisible();
      await expectAccessible(page, "alerts page, a threshold out of range");

      await page.route("**/api/oms/alerts?**", failWithUpstreamError);
      await page.route("**/api/oms/vaults/*/alert-settings", failWithUpstreamError);
      await page.goto("/alerts");
      await expect(page.getByRole("alert").filter({ hasText: "OMS unreachable" })).toHaveCount(2);
      await expectAccessible(page, "alerts page, error");
    });

    test("history: loading, populated, empty, and error", async ({ page, request, stack, signIn }) => {
      // Four axe scans plus an execution that may wait up to 45 s: more than the default 60 s on a busy machine.
      test.setTimeout(120_000);
      await signIn(1);
      const oms = new OmsDriver(request, stack, 1);
      const alpha = oms.vault("Alpha");
      await oms.ensureSessionKey(alpha.vault_id);
      const intent = await oms.submitDeposit(alpha);
      const ui = new IntentsPage(page);

      const release = await holdIntentLists(page);
      await ui.gotoHistory();
      await expect(page.getByRole("status", { name: "Loading intents" })).toBeVisible();
      await expectAccessible(page, "history, loading");
      await release();
      await expect(ui.rowState(intent.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
      await expectAccessible(page, "history, populated");

      await ui.gotoHistory("?q=0xnothing-matches-this");
      await expect(page.getByRole("heading", { name: /No intents/ })).toBeVisible();
      await expectAccessible(page, "history, empty");

      // An outage as the page sees it: the list and the live stream both fail (a live stream would
      // rightly retry the list at once, see intent-history.tsx).
      await page.route("**/api/oms/intents?**", failWithUpstreamError);
      await page.route("**/api/oms/stream**", failWithUpstreamError);
      await ui.gotoHistory();
      await expect(ui.errorAlert).toBeVisible();
      await expectAccessible(page, "history, error");
    });

    test("intent detail: Refine now with a failing plan", async ({ page, request, stack, signIn }) => {
      test.setTimeout(120_000);
      await signIn(1);
      const oms = new OmsDriver(request, stack, 1);
      const beta = oms.vault("Beta");
      await oms.ensureNoSessionKey(beta.vault_id);
      const waiting = await oms.submitDeposit(beta);
      const ui = new IntentsPage(page);
      try {
        await ui.gotoDetail(waiting.id);
        await ui.refineButton.click();
        await expect(ui.refineResult).toBeVisible({ timeout: 30_000 });
        await expectAccessible(page, "detail, refined now (failing plan)");
      } finally {
        await oms.cancel(waiting.id);
      }
    });

    test("intent detail: completed with fills, waiting with the cancel dialog open, and not found", async ({
      page,
      request,
      stack,
      signIn,
    }) => {
      test.setTimeout(120_000);
      await signIn(1);
      const oms = new OmsDriver(request, stack, 1);
      const alpha = oms.vault("Alpha");
      const beta = oms.vault("Beta");
      await oms.ensureSessionKey(alpha.vault_id);
      const done = await oms.submitDeposit(alpha);
      const ui = new IntentsPage(page);

      await ui.gotoDetail(done.id);
      await expect(ui.headerState).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
      await expect(ui.fillRows.first()).not.toContainText("awaiting receipt", { timeout: 15_000 });
      await expectAccessible(page, "detail, completed");

      await oms.ensureNoSessionKey(beta.vault_id);
      const waiting = await oms.submitDeposit(beta);
      try {
        await ui.gotoDetail(waiting.id);
        await expect(ui.waitingLine).toBeVisible({ timeout: 30_000 });
        await expectAccessible(page, "detail, waiting for a session key");
        await ui.cancelButton.click();
        await expect(ui.dialog).toBeVisible();
        await expectAccessible(page, "detail, cancel dialog open");
      } finally {
        await oms.cancel(waiting.id);
      }

      await page.route("**/api/oms/intents/*", failWithUpstreamError);
      await ui.gotoDetail(done.id);
      await expect(page.getByRole("alert").first()).toBeVisible();
      await expectAccessible(page, "detail, error");
    });

    test("canvas: key active, and the gate open with its review", async ({
      page,
      request,
      stack,
      signIn,
      wallet: _w,
    }) => {
      await signIn(1);
      const oms = new OmsDriver(request, stack, 1);
      const alpha = oms.vault("Alpha");
      const beta = oms.vault("Beta");
      await oms.ensureSessionKey(alpha.vault_id);
      const canvas = new CanvasPage(page);

      await canvas.goto(alpha.vault_id);
      await expect(canvas.keyStatus).toContainText("is active");
      await expectAccessible(page, "canvas, key active");
      await canvas.historyToggle.click();
      await expect(canvas.history).toBeVisible();
      await expectAccessible(page, "canvas, key history open");

      await oms.ensureNoSessionKey(beta.vault_id);
      await canvas.goto(beta.vault_id);
      await expect(canvas.gate).toBeVisible();
      await expectAccessible(page, "canvas, gate open");
      await canvas.connectWallet();
      await expect(canvas.grantButton).toBeEnabled();
      await expectAccessible(page, "canvas, gate open, wallet connected");
      await canvas.grantButton.click();
      await expect(canvas.review).toBeVisible();
      await expectAccessible(page, "canvas, transaction review open");
    });

    test("approvals: a row waiting for me with its decision review, in error; the policy editor and its review", async ({
      page,
      request,
      stack,
      signIn,
      wallet: _w,
    }) => {
      test.setTimeout(120_000);
      await signIn(1);
      const oms = new OmsDriver(request, stack, 1);
      const alpha = oms.vault("Alpha");
      await oms.ensureSessionKey(alpha.vault_id);
      // Only sizes above 4 units wait: the other specs' deposits (1–2 units) run as before.
      await putApprovalPolicy(request, stack, oms, alpha.vault_id, {
        display_name: "A11y large deposits",
        rules: [{ kind: "size_above", threshold: "4000000" }],
        members: { managers: true, addresses: [] },
        threshold: 1,
        tolerance_bps: 100,
      });
      let waitingId: string | null = null;
      try {
        const approvals = new ApprovalsPage(page);
        await approvals.goto();
        await expectAccessible(page, "approvals, loaded");
        const submitted = await oms.submitDeposit(alpha, "e2e-a11y-approvals", {
          size: 4_200_000n + BigInt(Math.floor(Math.random() * 100_000)),
        });
        waitingId = submitted.id;
        const row = approvals.row(submitted.id);
        await expect(row).toHaveAttribute("data-awaiting-me", "true", { timeout: 30_000 });
        await expectAccessible(page, "approvals, a row waiting for me");
        await approvals.connectWallet(row);
        await row.getByRole("button", { name: "Approve" }).click();
        await expect(row.getByTestId("typed-data-preview")).toBeVisible();
        await expectAccessible(page, "approvals, decision review open");

        await page.goto(`/vaults/${encodeURIComponent(alpha.vault_id)}/approval-policy`);
        await expect(page.getByTestId("policy-in-force")).toContainText("A11y large deposits");
        await expectAccessible(page, "policy editor, policy in force and its history");
        await page.getByRole("button", { name: "Remove policy" }).click();
        await expect(page.getByTestId("typed-data-preview")).toBeVisible();
        await expectAccessible(page, "policy editor, review open");

        await page.route("**/api/oms/intents?**", failWithUpstreamError);
        await page.goto("/approvals");
        await expect(page.getByRole("alert").filter({ hasText: "OMS unreachable" })).toBeVisible();
        await expectAccessible(page, "approvals, error");
      } finally {
        if (waitingId !== null) await oms.cancel(waitingId);
        await putApprovalPolicy(request, stack, oms, alpha.vault_id, null);
      }
    });

    test("webhooks: empty, add form, secret dialog, delivery log, delete dialog", async ({
      page,
      request,
      stack,
      signIn,
    }) => {
      test.setTimeout(150_000); // five axe scans on a shared 2-core machine
      await signIn(1);
      const beta = new OmsDriver(request, stack, 1).vault("Beta");
      const ui = new WebhooksPage(page);
      await ui.goto(beta.vault_id);
      await expect(ui.heading).toBeVisible();
      await expect(page.getByRole("status", { name: /loading/i })).toHaveCount(0);
      await expectAccessible(page, "webhooks, list");
      await ui.addButton.click();
      const url = `${stack.webhookReceiverUrl ?? "https://example.com/"}a11y-${colorScheme}`;
      await ui.urlInput.fill(url);
      await expectAccessible(page, "webhooks, add form open");
      await ui.createButton.click();
      await expect(ui.secretDialog).toBeVisible();
      await expectAccessible(page, "webhooks, secret dialog open");
      await ui.storedButton.click();
      const card = ui.endpoint(url);
      await card.getByRole("button", { name: "Delivery log" }).click();
      await expect(card.getByText(/No deliveries yet|Deliveries/).first()).toBeVisible();
      await expectAccessible(page, "webhooks, delivery log open");
      await card.getByRole("button", { name: "Delete" }).click();
      const confirm = page.getByRole("dialog", { name: "Delete this endpoint?" });
      await expect(confirm).toBeVisible();
      await expectAccessible(page, "webhooks, delete dialog open");
      await confirm.getByRole("button", { name: "Delete endpoint" }).click();
      await expect(ui.endpoint(url)).toHaveCount(0);
    });
  });
}
