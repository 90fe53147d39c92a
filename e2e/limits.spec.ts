import { countEventStreams } from "./fixtures/event-streams";
import { expect, test } from "./fixtures/test";
import { CanvasPage } from "./pages/canvas-page";
import { OmsDriver } from "./pages/intents-page";

/**
 * On-chain limits on the canvas (issue 20). Account 1 is the primary manager of Beta; the test puts Beta's
 * limits back (no budget, unpaused, kill switch off) whatever happens, so other specs see it as before.
 */
test.describe("on-chain limits as the primary manager", () => {
  test.use({ accountIndex: 1 });

  test("sets a budget after the decoded preview, the bar moves as an intent completes, the kill switch pauses on-chain", async ({
    page,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    test.setTimeout(180_000);
    const oms = new OmsDriver(request, stack, 1);
    const beta = oms.vault("Beta");
    await oms.clearLimits(beta.vault_id);
    await oms.ensureSessionKey(beta.vault_id);
    try {
      await signIn(1);
      const openedStreams = countEventStreams(page);
      const canvas = new CanvasPage(page);
      await canvas.goto(beta.vault_id);
      await expect(canvas.keyStatus).toContainText("is active");
      await page.getByRole("button", { name: "Connect Wallet" }).first().click();
      await canvas.walletOption.click();
      const sentBefore = wallet.requests.filter((method) => method === "eth_sendTransaction").length;

      // Budget: 10 dUSD of deposits per 24 h, reviewed decoded before the wallet opens.
      const form = page.getByRole("region", { name: "Set budget" });
      await form.getByLabel("Action").selectOption({ label: "Deposit" });
      await form.getByLabel("Max amount (0 = no limit)").fill("10");
      await form.getByRole("button", { name: "Review budget" }).click();
      const review = page.getByTestId("limit-review");
      await expect(review).toContainText("You are about to sign: SessionKeyExecutor.setBudget");
      await expect(review).toContainText("At most 10000000 base units and any number of executions per 86400 s");
      expect(wallet.requests.filter((method) => method === "eth_sendTransaction")).toHaveLength(sentBefore);
      await review.getByRole("button", { name: "Open wallet to sign" }).click();
      await expect(form.getByRole("status")).toHaveText("Confirmed on-chain.", { timeout: 30_000 });

      const bar = page.getByRole("region", { name: "Inflow lane" }).getByRole("progressbar");
      await expect(bar).toHaveAttribute("aria-valuenow", "0");
      await expect(bar).toHaveAttribute("aria-valuetext", /0 \/ 10 dUSD deposited/);

      // A deposit of 1–2 dUSD completes; the bar shows it used, without a reload.
      const intent = await oms.submitDeposit(beta, "e2e-budget");
      await oms.waitForState(intent.id, "COMPLETED");
      await expect(bar).not.toHaveAttribute("aria-valuenow", "0");
      await expect(bar).toHaveAttribute("aria-valuetext", /[12](\.\d+)? \/ 10 dUSD deposited/);
      // The canvas, its approvals counts and the nav badge share the tab's one intent stream; the bell has its own.
      expect(openedStreams()).toEqual({ intents: 1, alerts: 1 });

      // History lists the change with who prepared it and what the chain recorded.
      await canvas.historyToggle.click();
      await expect(canvas.history).toContainText("BUDGET_SET");

      // Kill switch: the runner stops and the wallet signs the on-chain pause; the gate says PAUSED.
      await page
        .getByRole("button", { name: "Connect Wallet" })
        .first()
        .click({ timeout: 2_000 })
        .catch(() => undefined);
      await canvas.killSwitch.getByRole("button", { name: "Engage kill switch" }).click();
      await expect(canvas.killSwitch).toContainText("Kill switch engaged");
      await expect(review).toContainText("You are about to sign: VaultRegistry.pause");
      await review.getByRole("button", { name: "Open wallet to sign" }).click();
      await expect(canvas.gateHeading).toHaveText(/PAUSED/, { timeout: 45_000 });
      expect((await oms.readiness(beta.vault_id)).reason).toBe("PAUSED");

      // Only the primary manager lifts it: from the gate, after the decoded unpause.
      await canvas.gate.getByRole("button", { name: "Unpause on-chain" }).click();
      await expect(review).toContainText("You are about to sign: VaultRegistry.unpause");
      await review.getByRole("button", { name: "Open wallet to sign" }).click();
      await expect(canvas.gate).toBeHidden({ timeout: 45_000 });
      expect((await oms.readiness(beta.vault_id)).limits?.paused).toBe(false);
    } finally {
      await oms.clearLimits(beta.vault_id);
      // The signed-in page's cookie, from the dashboard's own origin (the BFF refuses cross-site writes).
      await page.request.put(`${stack.webUrl}/api/runner/vaults/${encodeURIComponent(beta.vault_id)}/kill-switch`, {
        headers: { origin: stack.webUrl },
        data: { engaged: false },
        failOnStatusCode: false,
      });
    }
  });
});
