import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { devAccount } from "../../lib/chain/dev-accounts";
import { type ApprovalPolicy, type ApprovalPolicyState, approvalPolicyTypedData } from "../../lib/defix/approvals";
import type { StackInfo } from "../fixtures/env";
import { chooseTestWallet } from "./connect-modal";
import type { OmsDriver } from "./intents-page";

export async function policyState(
  request: APIRequestContext,
  stack: StackInfo,
  driver: OmsDriver,
  vaultId: string,
): Promise<ApprovalPolicyState> {
  const url = `${stack.omsUrl}/defix/vaults/${encodeURIComponent(vaultId)}/approval-policy`;
  const response = await request.get(url, { headers: { authorization: `Bearer ${await driver.bearer()}` } });
  return (await response.json()) as ApprovalPolicyState;
}

/** Sets a vault's approval policy through the OMS API, signed with a dev key as the primary manager's wallet would. */
export async function putApprovalPolicy(
  request: APIRequestContext,
  stack: StackInfo,
  driver: OmsDriver,
  vaultId: string,
  policy: ApprovalPolicy | null,
  signerIndex = 1,
): Promise<ApprovalPolicyState> {
  const url = `${stack.omsUrl}/defix/vaults/${encodeURIComponent(vaultId)}/approval-policy`;
  const headers = { authorization: `Bearer ${await driver.bearer()}` };
  const state = await policyState(request, stack, driver, vaultId);
  const signer = devAccount(signerIndex);
  const version = state.version + 1;
  const signature = await signer.signTypedData(approvalPolicyTypedData(vaultId, version, state.head_hash, policy));
  const response = await request.put(url, {
    headers,
    data: { policy, version, signer: signer.address, signature },
  });
  if (!response.ok()) throw new Error(`PUT approval-policy: ${response.status()} ${await response.text()}`);
  return (await response.json()) as ApprovalPolicyState;
}

export class ApprovalsPage {
  readonly heading: Locator;
  readonly badge: Locator;
  /** Live (the intent stream) or stale (the stream is down; the queue is polled slowly). */
  readonly liveIndicator: Locator;

  constructor(readonly page: Page) {
    this.liveIndicator = page.getByTestId("live-indicator");
    this.heading = page.getByRole("heading", { name: "Approvals", level: 1 });
    this.badge = page.getByTestId("approvals-badge");
  }

  async goto(): Promise<void> {
    await this.page.goto("/approvals");
    await this.heading.waitFor();
  }

  row(intentId: string): Locator {
    return this.page.locator(`[data-testid="approval-row"][data-intent-id="${intentId}"]`);
  }

  async connectWallet(row: Locator): Promise<void> {
    await row.getByRole("button", { name: "Connect wallet to sign" }).click();
    await chooseTestWallet(this.page);
  }
}
