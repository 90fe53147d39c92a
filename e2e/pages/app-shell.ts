import type { Locator, Page } from "@playwright/test";

/** The authenticated frame: top bar with the address and sign-out, the main navigation. */
export class AppShell {
  readonly address: Locator;
  readonly signOutButton: Locator;
  readonly nav: Locator;

  constructor(page: Page) {
    this.address = page.getByTestId("signed-in-address");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
    this.nav = page.getByRole("navigation", { name: "Main" });
  }

  vaultLink(name: string): Locator {
    return this.nav.getByRole("link", { name: new RegExp(name) });
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}
