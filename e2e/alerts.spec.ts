import { expect, test } from "./fixtures/test";
import { AppShell } from "./pages/app-shell";
import { IntentsPage, OmsDriver } from "./pages/intents-page";
import { ReceiverSubscription } from "./pages/webhook-receiver";

/** Account 1 is the primary manager of Alpha and Beta. Each test waits for an intent or a key transaction. */
test.describe.configure({ timeout: 120_000 });

test("an intent that ends ABORTED raises an alert that reaches the bell without a reload and the webhook receiver", async ({
  page,
  request,
  stack,
  signIn,
}) => {
  test.skip(!stack.webhookReceiverUrl, "needs the stack's local webhook receiver");
  await signIn(1);
  const oms = new OmsDriver(request, stack, 1);
  const alpha = oms.vault("Alpha");
  await oms.ensureSessionKey(alpha.vault_id);
  // The stack's local receiver, subscribed to Alpha's intent-failure alerts only (no intent events).
  const receiver = await ReceiverSubscription.create(request, stack, await oms.bearer(), alpha.vault_id, {
    event_types: [],
    alert_kinds: ["INTENT_ABORTED", "INTENT_FAILED"],
  });
  const ui = new IntentsPage(page);
  const shell = new AppShell(page);
  await ui.gotoOverview();
  await expect(shell.alertBell).toBeVisible();
  // Start from nothing unread, so the count below is this test's alert.
  await shell.alertBell.click();
  const markAll = shell.alertPanel.getByRole("button", { name: "Mark all read" });
  // The panel may still be loading, or an earlier test's alert may land just after: until nothing is unread.
  await expect(async () => {
    if (await markAll.isEnabled()) await markAll.click();
    await expect(shell.alertUnread).toHaveCount(0, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await shell.alertBell.click();

  const intent = await oms.submitDeposit(alpha, "e2e-alerts", { badProof: true });
  await expect.poll(async () => (await oms.intent(intent.id)).state, { timeout: 30_000 }).toBe("ABORTED");

  // No reload: the live alert stream brings it.
  await expect(shell.alertUnread).toHaveText("1", { timeout: 30_000 });
  await expect(shell.alertBell).toHaveAccessibleName("Alerts, 1 unread");
  await shell.alertBell.click();
  const item = shell.alertPanel.locator(`[data-testid="alert-item"][data-read="false"]`).first();
  await expect(item).toContainText("DEPOSIT intent aborted");
  await expect(item).toContainText(/proof/);
  // The vault by its name, not its address.
  await expect(item.getByTestId("alert-vault")).toHaveText(alpha.name);

  // The same alert reached the receiver as a signed `alert.raised` delivery.
  await expect
    .poll(
      async () =>
        (await receiver.arrivals()).find(
          (arrival) => arrival.type === "alert.raised" && arrival.body?.data?.alert?.intent_id === intent.id,
        ),
      { timeout: 30_000 },
    )
    .toMatchObject({ status: 200, verified: true, body: { text: expect.stringContaining("DEPOSIT intent aborted") } });
  await receiver.delete();
  // The alert leads to its intent, and opening it marks it read.
  await item.getByRole("link", { name: /DEPOSIT intent aborted/ }).click();
  await expect(page).toHaveURL(new RegExp(`/intents/${intent.id}$`));
  await expect(shell.alertUnread).toHaveCount(0);

  // The history page keeps it.
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(
    page
      .getByTestId("alert-history")
      .getByRole("link", { name: /DEPOSIT intent aborted/ })
      .first(),
  ).toHaveAttribute("href", `/intents/${intent.id}`);
});

test("a key about to expire shows in the overview's expiry strip, and Renew opens the rotation flow", async ({
  page,
  request,
  stack,
  signIn,
}) => {
  await signIn(1);
  const oms = new OmsDriver(request, stack, 1);
  const beta = oms.vault("Beta");
  // A fresh key granted for 24 h: inside the 24 h warning window.
  await oms.ensureNoSessionKey(beta.vault_id);
  await oms.ensureSessionKey(beta.vault_id);
  const ui = new IntentsPage(page);
  await ui.gotoOverview();

  const strip = page.getByTestId("key-expiry-strip");
  const item = strip.locator(`[data-testid="key-expiry-item"][data-vault="${beta.vault_id}"]`);
  await expect(item).toContainText(/expires/);
  // Soonest first, by the OMS's own readiness of each listed vault.
  const order = await strip
    .getByTestId("key-expiry-item")
    .evaluateAll((items) => items.map((node) => node.getAttribute("data-vault") ?? ""));
  const expiries = await Promise.all(
    order.map(async (vaultId) => {
      const expiresAt = (await oms.readiness(vaultId)).expires_at;
      return expiresAt ? Date.parse(expiresAt) : Number.MAX_SAFE_INTEGER;
    }),
  );
  expect(expiries).toEqual([...expiries].sort((a, b) => a - b));
  const renew = item.getByRole("link", { name: "Renew" });
  await expect(renew).toBeVisible();
  await renew.click();
  await expect(page).toHaveURL(/\/canvas\?renew=1$/);
  const flow = page.getByTestId("rotation-flow");
  await expect(flow).toBeVisible({ timeout: 20_000 });
  await expect(flow.getByRole("heading", { name: "Rotate the session key" })).toBeVisible();
});
