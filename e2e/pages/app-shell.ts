import type { Locator, Page } from "@playwright/test";

/** The authenticated frame: top bar with the address, theme and sign-out, the main navigation. */
export class AppShell {
  readonly address: Locator;
  readonly signOutButton: Locator;
  readonly nav: Locator;
  readonly themeToggle: Locator;
  readonly menuButton: Locator;
  readonly shortcutsDialog: Locator;
  /** The app's one polite live region. */
  readonly announcer: Locator;

  constructor(private readonly page: Page) {
    this.address = page.getByTestId("signed-in-address");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.themeToggle = page.getByRole("button", { name: /^Theme: / });
    this.menuButton = page.getByRole("button", { name: "Menu" });
    this.shortcutsDialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    this.announcer = page.getByTestId("announcer");
  }

  vaultLink(name: string): Locator {
    return this.nav.getByRole("link", { name: new RegExp(name) });
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }

  /** The theme the page renders in: the class the server or the toggle put on <html>, else the system's. */
  renderedScheme(): Promise<string> {
    return this.page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);
  }
}
