import { E2E_BASE_URL } from "./fixtures/env";
import { signInViaApi } from "./fixtures/session";
import { expect, test } from "./fixtures/test";
import { TestWallet } from "./fixtures/wallet";
import { ApprovalsPage, policyState, putApprovalPolicy } from "./pages/approvals-page";
import { OmsDriver } from "./pages/intents-page";

/**
 * 2-of-2 quorum of Alpha's managers: manager one (this context) and manager two (a second browser context
 * with its own wallet) each approve in their wallet; the queue and the badges update live in both.
 */
test("two managers approve in their own browsers; both queues update live", async ({
  page,
  browser,
  request,
  stack,
  wallet,
  signIn,
}) => {
  expect(wallet).toBeTruthy();
  await signIn(1);
  const oms = new OmsDriver(request, stack, 1);
  const alpha = oms.vault("Alpha");
  await oms.ensureSessionKey(alpha.vault_id);
  await putApprovalPolicy(request, stack, oms, alpha.vault_id, {
    display_name: "E2E two managers",
    rules: [{ kind: "size_above", threshold: "4000000" }],
    members: { managers: true, addresses: [] },
    threshold: 2,
    tolerance_bps: 100,
  });
  const other = await browser.newContext({ baseURL: E2E_BASE_URL });
  try {
    const pageB = await other.newPage();
    await new TestWallet(pageB, stack.rpcUrl, stack.chainId, 2).install();
    await signInViaApi(other, stack.webUrl, stack.chainId, 2);
    const a = new ApprovalsPage(page);
    const b = new ApprovalsPage(pageB);
    await a.goto();
    await b.goto();

    const submitted = await oms.submitDeposit(alpha, "e2e-quorum", {
      size: 4_600_000n + BigInt(Math.floor(Math.random() * 100_000)),
    });
    // Both queues pick it up without a reload; both badges count it.
    for (const side of [a, b]) {
      await expect(side.row(submitted.id)).toHaveAttribute("data-awaiting-me", "true", { timeout: 30_000 });
      await expect(side.badge).toBeVisible();
    }

    await a.connectWallet(a.row(submitted.id));
    await a.row(submitted.id).getByRole("button", { name: "Approve" }).click();
    await a.row(submitted.id).getByRole("button", { name: "Open wallet to sign" }).click();
    await expect(a.row(submitted.id)).toHaveAttribute("data-awaiting-me", "false");
    await expect(a.row(submitted.id)).toContainText("You signed");
    await expect(a.badge).toHaveCount(0);
    // Manager two sees manager one's signature live.
    await expect(b.row(submitted.id).getByTestId("approval-progress")).toContainText("1 of 2 signed");

    await b.connectWallet(b.row(submitted.id));
    await b.row(submitted.id).getByRole("button", { name: "Approve" }).click();
    await b.row(submitted.id).getByRole("button", { name: "Open wallet to sign" }).click();
    await expect(b.row(submitted.id)).toHaveCount(0, { timeout: 20_000 });
    await expect(a.row(submitted.id)).toHaveCount(0, { timeout: 20_000 });
    await expect(b.badge).toHaveCount(0);
    await oms.waitForState(submitted.id, "COMPLETED");
    expect((await oms.intent(submitted.id)).approval_status).toBe("approved");
  } finally {
    await other.close();
    if ((await policyState(request, stack, oms, alpha.vault_id)).policy !== null) {
      await putApprovalPolicy(request, stack, oms, alpha.vault_id, null);
    }
  }
});
