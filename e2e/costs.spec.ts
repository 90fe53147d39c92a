import { seriousViolations } from "./fixtures/axe";
import { expect, test } from "./fixtures/test";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

const DAY_MS = 86_400_000;

/** The Costs page's 7-day window, as the page asks for it (UTC days, today included). */
function sevenDays(): string {
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  const from = new Date(today - 6 * DAY_MS).toISOString();
  const to = new Date(today + DAY_MS).toISOString();
  return new URLSearchParams({ from, to }).toString();
}

test("the Costs view shows what the OMS counted from receipts, with the raw wei one click away", async ({
  page,
  request,
  stack,
  signIn,
}) => {
  test.setTimeout(120_000); // a key grant and an execution on the chain first
  await signIn(1);
  const oms = new OmsDriver(request, stack, 1);
  const alpha = oms.vault("Alpha");
  await oms.ensureSessionKey(alpha.vault_id);
  const submitted = await oms.submitDeposit(alpha);
  await expect.poll(async () => (await oms.intent(submitted.id)).state, { timeout: 45_000 }).toBe("COMPLETED");
  const done = await oms.intent(submitted.id);
  const receipt = await oms.receipt(done.tx_hash as `0x${string}`);

  const ui = new IntentsPage(page);
  await ui.gotoOverview();
  await ui.vaultCard(alpha.vault_id).getByRole("link", { name: "Costs" }).click();
  await expect(page).toHaveURL(/\/vaults\/.*\/costs$/);
  await expect(page.getByRole("heading", { name: /Costs: Alpha Vault/ })).toBeVisible();
  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page.getByRole("button", { name: "7 days" })).toHaveAttribute("aria-pressed", "true");

  const api = await oms.costs(alpha.vault_id, `${sevenDays()}&group_by=day`);
  expect(BigInt(api.totals.total_wei)).toBeGreaterThanOrEqual(receipt.gasUsed * receipt.effectiveGasPrice);
  const spent = page.locator("dt", { hasText: "Spent on gas" }).locator("..").getByRole("button");
  await expect(spent).toContainText("ETH");
  await spent.click();
  // Other tests of the run may mine meanwhile: the page and the OMS agree on a fresh read.
  const fresh = await oms.costs(alpha.vault_id, `${sevenDays()}&group_by=day`);
  await expect(spent).toHaveText(new RegExp(`^(${api.totals.total_wei}|${fresh.totals.total_wei})$`));

  await expect(page.getByRole("img", { name: /Gas spent per day over the last 7 days/ })).toBeVisible();
  await expect(page.locator(`[data-strategy="${done.strategy_id ?? "-"}"]`)).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("the Costs view says when the OMS cannot answer", async ({ page, request, stack, signIn }) => {
  await signIn(1);
  const alpha = new OmsDriver(request, stack, 1).vault("Alpha");
  await page.route("**/api/oms/vaults/*/costs?**", (route) =>
    route.fulfill({
      status: 502,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "UPSTREAM_UNAVAILABLE", message: "OMS unreachable" } }),
    }),
  );
  await page.goto(`/vaults/${encodeURIComponent(alpha.vault_id)}/costs`);
  await expect(page.getByRole("alert").filter({ hasText: "OMS unreachable" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
