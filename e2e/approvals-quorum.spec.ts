import { E2E_BASE_URL } from "./fixtures/env";
import { signInViaApi } from "./fixtures/session";
import { expect, test } from "./fixtures/test";
import { TestWallet } from "./fixtures/wallet";
import { ApprovalsPage, policyState, putApprovalPolicy } from "./pages/approvals-page";
import { CanvasPage } from "./pages/canvas-page";
import { OmsDriver } from "./pages/intents-page";

const STRATEGY = "Chase the best yield";
const UNIT = 1_000_000n;

/**
 * Issue 15's "done when": a 2-of-2 quorum of Alpha's managers. Manager one (#1, primary) starts the REBALANCE
 * strategy on the canvas; the runner publishes a large move that the policy catches. Manager one approves in
 * this browser, manager two (#2, secondary) in a second browser context with its own wallet; the intent
 * executes. Both queues, both badges and the strategy card follow without a reload.
 */
test("a strategy's large REBALANCE waits for two managers, who approve in their own browsers", async ({
  page,
  browser,
  request,
  stack,
  wallet,
  signIn,
}) => {
  test.setTimeout(180_000);
  expect(wallet).toBeTruthy();
  await signIn(1);
  const oms = new OmsDriver(request, stack, 1);
  const alpha = oms.vault("Alpha");
  await oms.ensureSessionKey(alpha.vault_id);
  if ((await policyState(request, stack, oms, alpha.vault_id)).policy !== null) {
    await putApprovalPolicy(request, stack, oms, alpha.vault_id, null);
  }
  // A position in the lowest-yield source (Euler-like: no donation, share price 1): the strategy moves half of
  // it to the best source, so the move is at least 6 units, above the policy's 4.
  const weakest = oms.manifest.contracts.yield_sources.find((s) => s.symbol === "ysEULER");
  if (!weakest) throw new Error("the dev world has no ysEULER source");
  const seeded = await oms.submitDeposit(alpha, "e2e-quorum-seed", {
    size: 12n * UNIT + BigInt(Math.floor(Math.random() * 100_000)),
    yieldSource: weakest.address,
  });
  await oms.waitForState(seeded.id, "COMPLETED");
  await putApprovalPolicy(request, stack, oms, alpha.vault_id, {
    display_name: "E2E large moves",
    rules: [{ kind: "size_above", threshold: (4n * UNIT).toString() }],
    members: { managers: true, addresses: [] },
    threshold: 2,
    tolerance_bps: 100,
  });

  const other = await browser.newContext({ baseURL: E2E_BASE_URL });
  const canvas = new CanvasPage(page);
  try {
    const pageB = await other.newPage();
    await new TestWallet(pageB, stack.rpcUrl, stack.chainId, 2).install();
    await signInViaApi(other, stack.webUrl, stack.chainId, 2);
    const b = new ApprovalsPage(pageB);
    await b.goto();
    // Rows arrive from the intent stream (the queue is polled only while the stream is down).
    await expect(b.liveIndicator).toHaveAttribute("data-status", "live");

    // Manager one starts the strategy; its card counts the intent that waits for the quorum.
    await canvas.goto(alpha.vault_id);
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "true");
    // It keeps publishing while its moves wait (up to the runner's bound), so a later tick may add one.
    await expect(canvas.awaitingApproval(STRATEGY)).toHaveText(/^[1-3] intents?$/, { timeout: 60_000 });
    await expect(canvas.waitingBound(STRATEGY)).toContainText(/publishing/i);
    // Stopped while it waits; the test follows its first move and cancels any later one.
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "false");
    const href = await canvas.lastIntentLink(STRATEGY).first().getAttribute("href");
    const newest = await oms.intent(href?.split("/").pop() ?? "");
    const [published, ...later] = await oms.openIntents(alpha.vault_id, newest.strategy_id ?? "");
    for (const extra of later) await oms.cancel(extra.id);
    const intentId = published?.id ?? "";
    expect(published).toMatchObject({ action: "REBALANCE", submitted_by: "svc:strategy-runner" });
    expect(published?.approval_status).toBe("pending");

    // Manager two's queue picked it up without a reload; both badges count it.
    const a = new ApprovalsPage(page);
    await a.goto();
    for (const side of [a, b]) {
      await expect(side.row(intentId)).toHaveAttribute("data-awaiting-me", "true");
      await expect(side.row(intentId)).toContainText("REBALANCE");
      await expect(side.badge).toBeVisible();
    }

    await a.connectWallet(a.row(intentId));
    await a.row(intentId).getByRole("button", { name: "Approve" }).click();
    await a.row(intentId).getByRole("button", { name: "Open wallet to sign" }).click();
    await expect(a.row(intentId)).toHaveAttribute("data-awaiting-me", "false");
    await expect(a.row(intentId)).toContainText("You signed");
    await expect(a.badge).toHaveCount(0);
    // Manager two sees manager one's signature live.
    await expect(b.row(intentId).getByTestId("approval-progress")).toContainText("1 of 2 signed");

    await b.connectWallet(b.row(intentId));
    await b.row(intentId).getByRole("button", { name: "Approve" }).click();
    await b.row(intentId).getByRole("button", { name: "Open wallet to sign" }).click();
    await expect(b.row(intentId)).toHaveCount(0);
    await expect(a.row(intentId)).toHaveCount(0);
    await expect(b.badge).toHaveCount(0);
    await oms.waitForState(intentId, "COMPLETED", 60_000);
    expect((await oms.intent(intentId)).approval_status).toBe("approved");
  } finally {
    await other.close();
    if ((await policyState(request, stack, oms, alpha.vault_id)).policy !== null) {
      await putApprovalPolicy(request, stack, oms, alpha.vault_id, null);
    }
  }
});
