import type { Locator, Page } from "@playwright/test";

/**
 * Page object for the intent monitor (history, detail, overview): locators and actions only;
 * assertions stay in the specs.
 */
export class IntentsPage {
  constructor(readonly page: Page) {}

  // History
  get table(): Locator {
    return this.page.getByTestId("intent-table");
  }
  get rows(): Locator {
    return this.table.locator("tbody tr[data-intent-id]");
  }
  row(intentId: string): Locator {
    return this.table.locator(`tr[data-intent-id="${intentId}"]`);
  }
  rowState(intentId: string): Locator {
    return this.row(intentId).locator("[data-state]");
  }
  get liveIndicator(): Locator {
    return this.page.getByTestId("live-indicator");
  }
  get search(): Locator {
    return this.page.getByRole("searchbox", { name: /intent id or transaction hash/i });
  }
  get vaultFilter(): Locator {
    return this.page.getByRole("combobox", { name: "Vault" });
  }
  get actionFilter(): Locator {
    return this.page.getByRole("combobox", { name: "Action" });
  }
  get rangeFilter(): Locator {
    return this.page.getByRole("combobox", { name: "Time range" });
  }
  get createdFrom(): Locator {
    return this.page.getByLabel("Created from");
  }
  get createdBefore(): Locator {
    return this.page.getByLabel("Created before");
  }
  stateChip(state: string): Locator {
    return this.page.getByRole("button", { name: new RegExp(`^${state}\\b`) });
  }
  get count(): Locator {
    return this.page.getByTestId("intent-count");
  }
  get errorAlert(): Locator {
    return this.page.getByRole("alert").filter({ hasText: /OMS unreachable|Could not load/ });
  }
  get retryButton(): Locator {
    return this.page.getByRole("button", { name: "Retry" });
  }

  async gotoHistory(query = ""): Promise<void> {
    await this.page.goto(`/intents${query}`);
  }

  async toggleState(state: string): Promise<void> {
    await this.stateChip(state).click();
  }

  async openIntent(intentId: string): Promise<void> {
    await this.row(intentId).getByRole("link").click();
  }

  // Detail
  async gotoDetail(intentId: string): Promise<void> {
    await this.page.goto(`/intents/${intentId}`);
  }
  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1 });
  }
  get headerState(): Locator {
    return this.heading.locator("[data-state]");
  }
  get lifecycle(): Locator {
    return this.page.getByTestId("lifecycle-strip");
  }
  lifecycleStep(state: string): Locator {
    return this.lifecycle.locator(`li[data-state="${state}"]`);
  }
  get waitingLine(): Locator {
    return this.page.getByTestId("waiting-line");
  }
  get timeline(): Locator {
    return this.page.getByTestId("event-timeline");
  }
  timelineEvent(messageType: string): Locator {
    return this.timeline.locator(`li[data-message-type="${messageType}"]`);
  }
  get fillRows(): Locator {
    return this.page.getByTestId("fills-table").locator("tbody tr");
  }
  get cancelButton(): Locator {
    return this.page.getByRole("button", { name: "Cancel intent" }).first();
  }
  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }
  get refineButton(): Locator {
    return this.page.getByRole("button", { name: /^Refine (now|again)$/ });
  }
  get refineResult(): Locator {
    return this.page.getByTestId("refine-result");
  }
  get refinePlan(): Locator {
    return this.page.getByTestId("refine-plan");
  }
  /** A labelled field of the detail's summary (`<dt>label</dt><dd>value</dd>`). */
  summaryField(label: string): Locator {
    return this.page.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");
  }

  async cancelIntent(): Promise<void> {
    await this.cancelButton.click();
    await this.dialog.getByRole("button", { name: "Cancel intent" }).click();
  }

  // Overview
  async gotoOverview(): Promise<void> {
    await this.page.goto("/");
  }
  vaultCard(vaultId: string): Locator {
    return this.page.locator(`article[data-vault-id="${vaultId}"]`);
  }
}

export { OmsDriver } from "./oms-driver";
