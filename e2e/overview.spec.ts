import { expect, test } from "./fixtures/test";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

test("overview shows the user's vaults with key readiness and links into the filtered history", async ({
  page,
  request,
  stack,
  signIn,
}) => {
  await signIn(1);
  const oms = new OmsDriver(request, stack, 1);
  const alpha = oms.vault("Alpha");
  await oms.ensureSessionKey(alpha.vault_id);
  const ui = new IntentsPage(page);

  await ui.gotoOverview();
  const card = ui.vaultCard(alpha.vault_id);
  await expect(card).toContainText("Alpha Vault");
  await expect(card).toContainText("Primary manager");
  await expect(card.locator("[data-ready]")).toHaveAttribute("data-ready", "true");
  await expect(card.getByRole("img")).toBeVisible();
  await expect(ui.vaultCard(oms.vault("Beta").vault_id)).toBeVisible();
  // Account 1 holds no role on Gamma: it is not shown at all.
  await expect(ui.vaultCard(oms.vault("Gamma").vault_id)).toHaveCount(0);

  await card.getByRole("link", { name: /Failed 24 h/ }).click();
  await expect(page).toHaveURL(/\/intents\?vault_id=.*state=FAILED/);
  await expect(ui.vaultFilter).toHaveValue(alpha.vault_id);
  await expect(ui.stateChip("FAILED")).toHaveAttribute("aria-pressed", "true");
  await expect(ui.rangeFilter).toHaveValue("24h");
});
