import { expect, type Page } from "@playwright/test";
import { TEST_WALLET_NAME } from "../fixtures/wallet";

/**
 * In RainbowKit's open connect modal: picks the injected test wallet and waits for the modal to close, so a
 * connect that hangs fails here (the wallet's request log is attached to the failed test's report).
 */
export async function chooseTestWallet(page: Page): Promise<void> {
  await page.getByRole("button", { name: TEST_WALLET_NAME }).click();
  await expect(page.getByRole("dialog"), "the connect dialog closes once the wallet connected").toBeHidden({
    timeout: 20_000,
  });
}
