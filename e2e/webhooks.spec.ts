import { expect, test } from "./fixtures/test";
import { OmsDriver } from "./pages/intents-page";
import { WebhooksPage } from "./pages/webhooks-page";

interface Arrival {
  id: string;
  type: string | null;
  verified: boolean | null;
  status: number;
}

/**
 * A manager subscribes the stack's local receiver (the suggested URL in dev), sees the secret once,
 * sends a test ping, and watches it arrive at the receiver (signature verified with the secret) and
 * show as succeeded in the delivery log. Account 1 is the primary manager of Beta.
 */
test("webhooks: create → secret shown once → a signed delivery arrives and shows in the log", async ({
  page,
  request,
  stack,
  signIn,
}) => {
  test.skip(!stack.webhookReceiverUrl, "needs the stack's local webhook receiver");
  const receiverUrl = stack.webhookReceiverUrl ?? "";
  const beta = new OmsDriver(request, stack, 1).vault("Beta");
  await signIn(1);
  const ui = new WebhooksPage(page);
  await ui.goto(beta.vault_id);
  await expect(ui.heading).toBeVisible();

  await ui.addButton.click();
  await expect(ui.urlInput).toHaveValue(receiverUrl);
  const url = `${receiverUrl}e2e-${Date.now()}`;
  await ui.urlInput.fill(url);
  await ui.createButton.click();
  await expect(ui.secretDialog).toBeVisible();
  const secret = (await ui.secret.textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_/);
  await ui.storedButton.click();
  await expect(ui.secretDialog).toBeHidden();
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.reload();
  await expect(ui.endpoint(url)).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  // The receiver checks signatures with the secret a user would paste into its page.
  const added = await request.post(`${receiverUrl}secrets`, { form: { secret }, maxRedirects: 0 });
  expect(added.status()).toBe(303);

  const card = ui.endpoint(url);
  await card.getByRole("button", { name: "Send test" }).click();
  await expect(ui.deliveries.getByRole("row").filter({ hasText: "webhook.test" })).toContainText("succeeded", {
    timeout: 30_000,
  });
  const arrivals = (await (await request.get(`${receiverUrl}?format=json`)).json()) as { received: Arrival[] };
  const ping = arrivals.received.find((item) => item.type === "webhook.test" && item.status === 200);
  expect(ping?.verified).toBe(true);

  await ui.deliveries.getByRole("button", { name: "Attempts" }).first().click();
  await expect(ui.deliveries).toContainText("200");

  await card.getByRole("button", { name: "Delete" }).click();
  await page
    .getByRole("dialog", { name: "Delete this endpoint?" })
    .getByRole("button", { name: "Delete endpoint" })
    .click();
  await expect(ui.endpoint(url)).toHaveCount(0);
});
