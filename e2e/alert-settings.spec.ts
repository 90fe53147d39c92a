import { expect, test } from "./fixtures/test";
import { OmsDriver } from "./pages/intents-page";

/**
 * Per-vault alert thresholds on the /alerts page. Account 1 is the primary manager of Alpha and Beta;
 * account 2 is the primary manager of Gamma and a secondary manager of Alpha.
 */
test("the primary manager edits a vault's thresholds, with a message for an out-of-range value", async ({
  page,
  request,
  stack,
  signIn,
}) => {
  const oms = new OmsDriver(request, stack, 1);
  const beta = oms.vault("Beta");
  const url = `${stack.omsUrl}/defix/vaults/${encodeURIComponent(beta.vault_id)}/alert-settings`;
  const headers = { authorization: `Bearer ${await oms.bearer()}` };
  const before = await (await request.get(url, { headers })).json();
  await signIn(1);
  await page.goto("/alerts");
  const section = page.getByTestId("alert-settings");
  await expect(section.getByRole("heading", { name: "Alert thresholds" })).toBeVisible();
  await section.getByLabel("Vault").selectOption({ label: beta.name });
  const waiting = section.getByLabel(/Intent waiting longer than/);
  await expect(waiting).toHaveValue(String(before.waiting_minutes));

  // Out of range: a message at the field, nothing sent.
  await waiting.fill("0");
  await section.getByRole("button", { name: "Save thresholds" }).click();
  await expect(waiting).toHaveAttribute("aria-invalid", "true");
  await expect(waiting).toBeFocused();
  await expect(section.getByText("Between 1 and 10080.")).toBeVisible();
  expect((await (await request.get(url, { headers })).json()).waiting_minutes).toBe(before.waiting_minutes);

  const next = before.waiting_minutes === 45 ? 46 : 45;
  try {
    await waiting.fill(String(next));
    await section.getByRole("button", { name: "Save thresholds" }).click();
    await expect(section.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    // The OMS stored it, and a reload shows it.
    expect((await (await request.get(url, { headers })).json()).waiting_minutes).toBe(next);
    await page.reload();
    await page.getByTestId("alert-settings").getByLabel("Vault").selectOption({ label: beta.name });
    await expect(page.getByTestId("alert-settings").getByLabel(/Intent waiting longer than/)).toHaveValue(String(next));
  } finally {
    await request.put(url, { headers, data: before });
  }
});

test("a secondary manager sees the thresholds but cannot change them", async ({ page, request, stack, signIn }) => {
  const alpha = new OmsDriver(request, stack, 2).vault("Alpha");
  await signIn(2);
  await page.goto("/alerts");
  const section = page.getByTestId("alert-settings");
  await section.getByLabel("Vault").selectOption({ label: alpha.name });
  await expect(section.getByText("Only the vault's primary manager can change them.")).toBeVisible();
  await expect(section.getByLabel(/Intent waiting longer than/)).toHaveAttribute("readonly", "");
  await expect(section.getByRole("button", { name: "Save thresholds" })).toHaveCount(0);
});

test("the thresholds say so when they cannot be loaded", async ({ page, signIn }) => {
  await signIn(1);
  await page.route("**/api/oms/vaults/*/alert-settings", (route) =>
    route.fulfill({
      status: 502,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "UPSTREAM_UNAVAILABLE", message: "OMS unreachable" } }),
    }),
  );
  await page.goto("/alerts");
  const section = page.getByTestId("alert-settings");
  await expect(section.getByRole("alert").filter({ hasText: "OMS unreachable" })).toBeVisible();
  await expect(section.getByRole("button", { name: "Retry" })).toBeVisible();
});
