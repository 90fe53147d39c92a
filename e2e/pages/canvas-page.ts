import type { Locator, Page } from "@playwright/test";
import { TEST_WALLET_NAME } from "../fixtures/wallet";
import { chooseTestWallet } from "./connect-modal";

/** /vaults/[vaultId]/canvas: the gate, the key controls, the lanes and the key history. */
export class CanvasPage {
  readonly gate: Locator;
  readonly gateHeading: Locator;
  readonly gateNotPrimary: Locator;
  readonly connectButton: Locator;
  readonly walletOption: Locator;
  readonly grantButton: Locator;
  /** The decoded transaction shown before the wallet prompt, and its confirm button. */
  readonly review: Locator;
  readonly signButton: Locator;
  readonly flowAlert: Locator;
  readonly keyStatus: Locator;
  readonly rotateKeyButton: Locator;
  readonly rotateButton: Locator;
  readonly revokeKeyButton: Locator;
  readonly revokeConfirmation: Locator;
  readonly revokeButton: Locator;
  readonly killSwitch: Locator;
  readonly historyToggle: Locator;
  readonly history: Locator;
  /** The primary manager's guardian list and form (issue 20), and the limit flows' decoded preview. */
  readonly guardians: Locator;
  readonly guardianAddress: Locator;
  readonly reviewGuardian: Locator;
  readonly limitReview: Locator;
  /** EIP7702 vaults: the strategy EOA's delegation (live eth_getCode) and its signing flow. */
  readonly delegationStatus: Locator;
  readonly delegateButton: Locator;
  readonly authorizationReview: Locator;
  readonly authorizationSignButton: Locator;

  constructor(private readonly page: Page) {
    this.gate = page.getByTestId("canvas-gate");
    this.gateHeading = this.gate.getByRole("heading");
    this.gateNotPrimary = page.getByTestId("gate-not-primary");
    this.connectButton = this.gate.getByRole("button", { name: "Connect wallet" });
    this.walletOption = page.getByRole("button", { name: TEST_WALLET_NAME });
    this.grantButton = this.gate.getByRole("button", { name: /grant session key/i });
    this.review = page.getByTestId("transaction-review");
    this.signButton = this.review.getByRole("button", { name: "Open wallet to sign" });
    this.flowAlert = page.getByRole("alert").filter({ hasText: /.+/ });
    this.keyStatus = page.getByRole("region", { name: "Session key", exact: true });
    this.rotateKeyButton = this.keyStatus.getByRole("button", { name: "Rotate key" });
    this.rotateButton = this.keyStatus.getByRole("button", { name: /rotate session key/i });
    this.revokeKeyButton = this.keyStatus.getByRole("button", { name: "Revoke key" });
    this.revokeConfirmation = page.getByTestId("revoke-confirmation");
    this.revokeButton = this.revokeConfirmation.getByRole("button", { name: /revoke session key/i });
    this.killSwitch = page.getByRole("region", { name: "Kill switch" });
    this.historyToggle = page.getByRole("button", { name: "Session key history" });
    this.history = page.getByRole("region", { name: "Session key history" });
    this.guardians = page.getByRole("region", { name: "Guardians" });
    this.guardianAddress = this.guardians.getByLabel("Guardian address");
    this.reviewGuardian = this.guardians.getByRole("button", { name: "Review guardian" });
    this.limitReview = page.getByTestId("limit-review");
    this.delegationStatus = page.getByTestId("delegation-status");
    this.delegateButton = this.gate.getByRole("button", { name: /delegate the strategy EOA/i });
    this.authorizationReview = page.getByTestId("authorization-review");
    this.authorizationSignButton = this.authorizationReview.getByRole("button", { name: "Open wallet to sign" });
  }

  async goto(vaultId: string): Promise<void> {
    await this.page.goto(`/vaults/${encodeURIComponent(vaultId)}/canvas`);
  }

  /**
   * The gate's connect step: RainbowKit's modal, then the injected test wallet; done when the modal has
   * closed (a connect that hangs fails here, with the wallet's request log attached to the report).
   */
  async connectWallet(): Promise<void> {
    await this.connectButton.click();
    await chooseTestWallet(this.page);
  }

  card(name: string): Locator {
    return this.page.getByRole("article", { name });
  }

  keyHolder(name: string): Locator {
    return this.card(name).getByTestId("strategy-key-holder");
  }

  runningSwitch(name: string): Locator {
    return this.card(name).getByRole("switch", { name: `${name} running` });
  }

  lastIntentLink(name: string): Locator {
    return this.card(name).getByRole("link");
  }

  /** "N intents" awaiting their quorum (issue 15), linked to /approvals. */
  awaitingApproval(name: string): Locator {
    return this.card(name).getByTestId("strategy-awaiting-approval");
  }

  /** What the card says about the runner's bound on waiting intents. */
  waitingBound(name: string): Locator {
    return this.card(name).getByTestId("strategy-waiting-bound");
  }

  /** The active key's address as shown (its full value is the title). */
  keyAddress(): Promise<string | null> {
    return this.keyStatus.locator("code").first().getAttribute("title");
  }
}
