import { expect, test } from "./fixtures/test";
import { CanvasPage } from "./pages/canvas-page";
import { OmsDriver } from "./pages/intents-page";

/**
 * Connecting while the page's own wallet check on load (wagmi restoring an earlier connection with
 * `eth_accounts`) is still unanswered, as with a slow wallet extension: the connect must still finish
 * and the modal close. Through the canvas header's connect button, which is there whatever the vault's
 * key state (other specs change Gamma's key); the wallet is on account 4, which manages nothing.
 */
test.use({ accountIndex: 4 });

test("a slow wallet check on load does not strand the connect dialog", async ({
  page,
  request,
  stack,
  signIn,
  wallet,
}) => {
  const oms = new OmsDriver(request, stack, 2);
  const gamma = oms.vault("Gamma");
  await signIn(2);
  const releaseCheck = wallet.holdNext("eth_accounts");
  const releaseConnect = wallet.holdNext("eth_requestAccounts");
  const canvas = new CanvasPage(page);
  await canvas.goto(gamma.vault_id);
  await expect.poll(() => wallet.requests).toContain("eth_accounts");

  // The check on load answers while the user's connect is waiting for the wallet.
  const headerConnect = page.getByRole("button", { name: "Connect Wallet", exact: true });
  await headerConnect.click();
  await canvas.walletOption.click();
  await expect.poll(() => wallet.requests).toContain("eth_requestAccounts");
  await expect(page.getByRole("dialog")).toContainText("Opening Test Wallet");
  releaseCheck();
  await expect.poll(() => wallet.log.find((entry) => entry.method === "eth_accounts")?.repliedAt).toBeDefined();
  releaseConnect();

  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(headerConnect).toBeHidden();
  await expect(page.getByRole("button", { name: new RegExp(wallet.address.slice(-4), "i") })).toBeVisible();
});
