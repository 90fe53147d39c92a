import { expect, test } from "./fixtures/test";
import { TEST_WALLET_NAME } from "./fixtures/wallet";
import { ApprovalsPage, policyState, putApprovalPolicy } from "./pages/approvals-page";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

/**
 * Issue 15 in the console: a policy (signed with manager one's dev key through the API) catches a large
 * deposit; the intent detail shows its quorum, the history filters it by approval status, and the
 * Approvals page lets manager one approve it in the wallet, after which it executes.
 */
test.describe("approvals", () => {
  test.beforeEach(async ({ signIn }) => {
    await signIn(1);
  });

  test("a caught intent is shown, approved in the wallet, and executes", async ({ page, request, stack, wallet }) => {
    expect(wallet).toBeTruthy();
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    // Only sizes above 4 units are caught: the other specs' deposits (1–2 units) run as before.
    const state = await putApprovalPolicy(request, stack, oms, alpha.vault_id, {
      display_name: "E2E large deposits",
      rules: [{ kind: "size_above", threshold: "4000000" }],
      members: { managers: true, addresses: [] },
      threshold: 1,
      tolerance_bps: 100,
    });
    try {
      const submitted = await oms.submitDeposit(alpha, "e2e-approvals", {
        size: 4_500_000n + BigInt(Math.floor(Math.random() * 100_000)),
      });
      await expect
        .poll(async () => (await oms.intent(submitted.id)).approval_status, { timeout: 30_000 })
        .toBe("pending");

      // The intent detail: the authorization block with the policy version and who still has to sign.
      await page.goto(`/intents/${submitted.id}`);
      const block = page.getByTestId("authorization-block");
      await expect(block).toContainText("E2E large deposits");
      await expect(block.getByTestId("policy-version")).toHaveText(String(state.version));
      await expect(block.getByTestId("threshold")).toHaveAttribute("data-met", "false");
      await expect(block.locator('[data-approval-status="pending"]')).toBeVisible();

      // The history filters by approval status.
      const history = new IntentsPage(page);
      await page.goto("/intents?approval_status=pending");
      await expect(page.getByRole("combobox", { name: "Approval" })).toHaveValue("pending");
      await expect(history.row(submitted.id)).toBeVisible();
      await page.getByRole("combobox", { name: "Approval" }).selectOption("rejected");
      await expect(history.row(submitted.id)).toHaveCount(0);

      // The Approvals page: the row waits for manager one; the nav badge counts it.
      const approvals = new ApprovalsPage(page);
      await approvals.goto();
      const row = approvals.row(submitted.id);
      await expect(row).toHaveAttribute("data-awaiting-me", "true");
      await expect(row.getByTestId("approval-progress")).toContainText("0 of 1 signed");
      await expect(approvals.badge).toBeVisible();
      await approvals.connectWallet(row);
      await row.getByRole("button", { name: "Approve" }).click();
      const preview = row.getByTestId("typed-data-preview");
      await expect(preview).toContainText(submitted.id);
      await expect(preview).toContainText(new RegExp(alpha.address, "i"));
      await row.getByRole("button", { name: "Open wallet to sign" }).click();

      // The threshold is met: the row leaves the queue, and the intent executes.
      await expect(row).toHaveCount(0, { timeout: 20_000 });
      await oms.waitForState(submitted.id, "COMPLETED");
      expect((await oms.intent(submitted.id)).approval_status).toBe("approved");

      // The policy editor: the version in force and its history; removing it signs SetApprovalPolicy in the wallet.
      await page.goto(`/vaults/${encodeURIComponent(alpha.vault_id)}/approval-policy`);
      await expect(page.getByTestId("policy-in-force")).toContainText(`version ${state.version}`);
      await expect(page.locator(`[data-testid="policy-version-row"][data-version="${state.version}"]`)).toContainText(
        "size above 4000000 base units",
      );
      await page.getByRole("button", { name: "Remove policy" }).click();
      await expect(page.getByTestId("typed-data-preview")).toContainText(String(state.version + 1));
      // The wallet may still be connected from the Approvals page (wagmi keeps the connection in a cookie).
      const connect = page.getByRole("button", { name: "Connect wallet to sign" });
      const sign = page.getByRole("button", { name: "Open wallet to sign" });
      await expect(connect.or(sign)).toBeVisible();
      if (await connect.isVisible()) {
        await connect.click();
        await page.getByRole("button", { name: TEST_WALLET_NAME }).click();
      }
      await sign.click();
      await expect(page.getByTestId("policy-in-force")).toContainText("No policy");
      await expect(
        page.locator(`[data-testid="policy-version-row"][data-version="${state.version + 1}"]`),
      ).toContainText("removed the policy");
    } finally {
      if ((await policyState(request, stack, oms, alpha.vault_id)).policy !== null) {
        await putApprovalPolicy(request, stack, oms, alpha.vault_id, null);
      }
    }
  });
});
