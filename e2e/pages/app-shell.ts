import { expect, type Locator, type Page } from "@playwright/test";

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
  /** The notification center: the bell, its unread count and its panel. */
  readonly alertBell: Locator;
  readonly alertUnread: Locator;
  readonly alertPanel: Locator;

  constructor(private readonly page: Page) {
    this.address = page.getByTestId("signed-in-address");
    this.signOutButton = page.getByRole("button", { name: "Sign out" });
    this.nav = page.getByRole("navigation", { name: "Main" });
    this.themeToggle = page.getByRole("button", { name: /^Theme: / });
    this.menuButton = page.getByRole("button", { name: "Menu" });
    this.shortcutsDialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    this.announcer = page.getByTestId("announcer");
    this.alertBell = page.getByTestId("alert-bell");
    this.alertUnread = page.getByTestId("alert-unread");
    this.alertPanel = page.getByRole("region", { name: "Alerts" });
  }

  /** Opens the folded navigation with the keyboard; retried because a key press before hydration does nothing. */
  async openMenuWithKeyboard(): Promise<void> {
    await expect(async () => {
      if ((await this.menuButton.getAttribute("aria-expanded")) !== "true") await this.menuButton.press("Enter");
      await expect(this.menuButton).toHaveAttribute("aria-expanded", "true", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  }

  /**
   * Records every sentence the live region says from now on (it holds only the last one: an announcement about
   * another intent may follow the one a test waits for). Returns a reader of what was said so far.
   */
  async recordAnnouncements(): Promise<() => Promise<string[]>> {
    await this.announcer.waitFor({ state: "attached" });
    await this.page.evaluate(() => {
      type Recorder = { said: string[]; observer: MutationObserver };
      const region = () => document.querySelector('[data-testid="announcer"]')?.textContent ?? "";
      const said: string[] = [];
      let last = region();
      // Watches the whole page (held on window): the region may be replaced; a sentence said twice is cleared between.
      const observer = new MutationObserver(() => {
        const text = region();
        if (text !== last && text !== "") said.push(text);
        last = text;
      });
      observer.observe(document.body, { childList: true, characterData: true, subtree: true });
      (window as unknown as { __announcements: Recorder }).__announcements = { said, observer };
    });
    return () =>
      this.page.evaluate(() => [
        ...(window as unknown as { __announcements: { said: string[] } }).__announcements.said,
      ]);
  }

  /** The unread count the bell shows (0 when it shows none). */
  async unreadCount(): Promise<number> {
    if ((await this.alertUnread.count()) === 0) return 0;
    return Number(await this.alertUnread.textContent());
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
