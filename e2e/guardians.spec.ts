import { devAccount } from "../lib/chain/dev-accounts";
import { E2E_BASE_URL } from "./fixtures/env";
import { signInViaApi } from "./fixtures/session";
import { expect, test } from "./fixtures/test";
import { TestWallet } from "./fixtures/wallet";
import { CanvasPage } from "./pages/canvas-page";
import { OmsDriver } from "./pages/intents-page";

/**
 * Guardians (issue 20) on Alpha: its primary manager (account 1) names account 2 a guardian through the wallet after
 * the decoded preview; the guardian pauses the vault on-chain; in the guardian's own browser the gate says the vault
 * is paused and that only the primary manager unpauses. Alpha's limits and guardians are put back whatever happens.
 */
test.describe("guardians as the primary manager", () => {
  test.use({ accountIndex: 1 });

  test("names a guardian after the decoded preview; the guardian pauses; the gate says only the primary unpauses", async ({
    page,
    browser,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    test.setTimeout(180_000);
    const primary = new OmsDriver(request, stack, 1);
    const guardian = new OmsDriver(request, stack, 2);
    const guardianAddress = devAccount(2).address.toLowerCase() as `0x${string}`;
    const alpha = primary.vault("Alpha");
    await primary.clearLimits(alpha.vault_id);
    await primary.ensureSessionKey(alpha.vault_id);
    const other = await browser.newContext({ baseURL: E2E_BASE_URL });
    try {
      await signIn(1);
      const canvas = new CanvasPage(page);
      await canvas.goto(alpha.vault_id);
      await expect(canvas.guardians).toContainText("No guardians");
      await page.getByRole("button", { name: "Connect Wallet" }).first().click();
      await canvas.walletOption.click();
      const sentBefore = wallet.requests.filter((method) => method === "eth_sendTransaction").length;

      await canvas.guardianAddress.fill(guardianAddress);
      await canvas.reviewGuardian.click();
      await expect(canvas.limitReview).toContainText("You are about to sign: VaultRegistry.setGuardian");
      await expect(canvas.limitReview).toContainText(`Names guardian ${guardianAddress}`);
      expect(wallet.requests.filter((method) => method === "eth_sendTransaction")).toHaveLength(sentBefore);
      await canvas.limitReview.getByRole("button", { name: "Open wallet to sign" }).click();
      await expect(canvas.guardians.getByRole("status")).toHaveText("Confirmed on-chain.", { timeout: 30_000 });
      await expect(canvas.guardians.getByRole("list", { name: "Current guardians" })).toContainText(guardianAddress, {
        ignoreCase: true,
      });
      await canvas.historyToggle.click();
      await expect(canvas.history).toContainText("GUARDIAN_SET");

      // The guardian pauses (its own key, through the OMS's prepared calldata); its canvas cannot lift the pause.
      await guardian.pauseOnChain(alpha.vault_id);
      const pageB = await other.newPage();
      await new TestWallet(pageB, stack.rpcUrl, stack.chainId, 2).install();
      await signInViaApi(other, stack.webUrl, stack.chainId, 2);
      const guardianCanvas = new CanvasPage(pageB);
      await guardianCanvas.goto(alpha.vault_id);
      await expect(guardianCanvas.gateHeading).toHaveText(/PAUSED/, { timeout: 30_000 });
      await expect(guardianCanvas.gateNotPrimary).toContainText("Only the primary manager");
      await expect(guardianCanvas.gateNotPrimary).toContainText("can unpause");
      await expect(guardianCanvas.gate.getByRole("button", { name: "Unpause on-chain" })).toHaveCount(0);
      // The primary's gate offers the unpause.
      await page.reload();
      await expect(canvas.gate.getByRole("button", { name: "Unpause on-chain" })).toBeVisible({ timeout: 30_000 });
    } finally {
      await other.close();
      await primary.clearLimits(alpha.vault_id);
      // Removing an address that is not a guardian is a no-op on-chain, so this holds however far the test got.
      await primary.setGuardian(alpha.vault_id, guardianAddress, false);
    }
  });
});
