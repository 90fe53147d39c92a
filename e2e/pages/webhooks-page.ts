import type { Locator, Page } from "@playwright/test";

/** /vaults/[vaultId]/webhooks: endpoints, the add form, the secret shown once, the delivery log. */
export class WebhooksPage {
  readonly heading: Locator;
  readonly addButton: Locator;
  readonly urlInput: Locator;
  readonly createButton: Locator;
  readonly secretDialog: Locator;
  readonly secret: Locator;
  readonly storedButton: Locator;
  readonly deliveries: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: /Webhooks/ });
    this.addButton = page.getByRole("button", { name: "Add endpoint" });
    this.urlInput = page.getByRole("form", { name: "Create endpoint" }).getByLabel("Endpoint URL");
    this.createButton = page.getByRole("button", { name: "Create endpoint" });
    this.secretDialog = page.getByRole("dialog", { name: "Signing secret" });
    this.secret = page.getByTestId("webhook-secret");
    this.storedButton = page.getByRole("button", { name: "I have stored it" });
    this.deliveries = page.getByRole("table", { name: "Deliveries" });
  }

  async goto(vaultId: string): Promise<void> {
    await this.page.goto(`/vaults/${encodeURIComponent(vaultId)}/webhooks`);
  }

  endpoint(url: string): Locator {
    return this.page.getByRole("listitem").filter({ hasText: url });
  }
}
