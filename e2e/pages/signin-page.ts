import { expect, type Locator, type Page } from "@playwright/test";
import { TEST_WALLET_NAME } from "../fixtures/wallet";

/** /signin: RainbowKit's connect modal, then its "sign message" step (SIWE). */
export class SignInPage {
  readonly heading: Locator;
  readonly connectButton: Locator;
  readonly connectDialog: Locator;
  readonly walletOption: Locator;
  readonly signMessageButton: Locator;
  readonly alert: Locator;
  readonly notice: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { name: "Sign in to the DeFiX console" });
    this.connectButton = page.getByRole("button", { name: "Connect wallet" });
    this.connectDialog = page.getByRole("dialog", { name: "Connect a Wallet" });
    this.walletOption = page.getByRole("button", { name: TEST_WALLET_NAME });
    this.signMessageButton = page.getByRole("button", { name: /sign message/i });
    // Non-empty only: Next's route announcer is an always-present, empty role=alert.
    this.alert = page.getByRole("alert").filter({ hasText: /.+/ });
    this.notice = page.getByRole("status").filter({ hasText: /.+/ });
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/signin${query}`);
  }

  /** Opens RainbowKit's modal; retried because a click before hydration does nothing. */
  async openConnectModal(): Promise<void> {
    await expect(async () => {
      if (!(await this.connectDialog.isVisible())) await this.connectButton.click({ timeout: 2_000 });
      await expect(this.walletOption).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  }

  /** Connect → pick the test wallet → sign the SIWE message. */
  async signInWithWallet(): Promise<void> {
    await this.openConnectModal();
    await this.walletOption.click();
    await this.signMessageButton.click();
  }
}
