import { concat, createPublicClient, http } from "viem";
import type { PreparedTransaction } from "../lib/defix/session-keys";
import { expect, test } from "./fixtures/test";
import { CanvasPage } from "./pages/canvas-page";
import { OmsDriver } from "./pages/intents-page";

/**
 * The smart-account modes from the canvas (issue 14), against the real stack with the local bundler:
 * Delta (EIP4337, primary #1) executes through user operations, Zeta (EIP7702, primary #2, whose own
 * EOA is the strategy EOA) first delegates that EOA in the wallet. No other spec touches their keys.
 */
const STRATEGY = "Deploy idle assets";

test.describe("EIP4337 vault", () => {
  test.use({ accountIndex: 1 });

  test("grant a key on the vault account through the gate, start a strategy, its user op completes", async ({
    page,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    test.setTimeout(180_000);
    const oms = new OmsDriver(request, stack, 1);
    const delta = oms.vault("Delta");
    await oms.ensureNoSessionKey(delta.vault_id);
    await signIn(1);
    const canvas = new CanvasPage(page);
    await canvas.goto(delta.vault_id);

    await expect(canvas.gateHeading).toHaveText(/No session key yet|revoked/);
    await canvas.connectWallet();
    await canvas.grantButton.click();
    // The key lives on the vault itself (a smart account), not on the executor: the preview says so.
    await expect(canvas.review).toContainText(`You are about to sign: SuperVaultAccount.grantSessionKey`);
    await expect(canvas.review).toContainText(delta.address);
    await canvas.signButton.click();
    await expect(canvas.gate).toBeHidden({ timeout: 45_000 });
    expect(wallet.requests).toContain("eth_sendTransaction");

    await expect(canvas.card(STRATEGY)).toContainText("Account mode: ERC-4337");
    await expect(canvas.keyHolder(STRATEGY)).toContainText("the vault (SuperVaultAccount)");
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.lastIntentLink(STRATEGY)).toContainText("COMPLETED", { timeout: 90_000 });
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "false");
    const href = await canvas.lastIntentLink(STRATEGY).getAttribute("href");
    const intent = await oms.intent(href!.split("/").pop()!);
    expect(intent).toMatchObject({ state: "COMPLETED", account_mode: "EIP4337", submitted_by: "svc:strategy-runner" });
    const mined = (await oms.events(intent.id)).find((event) => event.message_type === "TX_MINED");
    expect(mined?.payload).toMatchObject({ success: true, user_op_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
  });
});

test.describe("EIP7702 vault", () => {
  test.use({ accountIndex: 2 });

  test("the wallet signs the EIP-7702 authorization, then a key is granted and a strategy's intent completes", async ({
    page,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    test.setTimeout(180_000);
    const oms = new OmsDriver(request, stack, 2);
    const zeta = oms.vault("Zeta");
    const implementation = oms.manifest.contracts.account_7702!;
    const chain = createPublicClient({ transport: http(stack.rpcUrl) });
    expect(await chain.getCode({ address: zeta.delegate_eoa! })).toBeUndefined();
    await signIn(2);
    const canvas = new CanvasPage(page);
    await canvas.goto(zeta.vault_id);

    await expect(canvas.gateHeading).toHaveText("The strategy EOA is not delegated");
    await expect(canvas.delegationStatus).toContainText("Not delegated");
    await canvas.connectWallet();
    await canvas.delegateButton.click();
    // Decoded before the wallet opens: which code the EOA delegates to, on which chain, with which nonce.
    const nonce = await chain.getTransactionCount({ address: zeta.delegate_eoa!, blockTag: "pending" });
    await expect(canvas.authorizationReview).toBeFocused();
    await expect(canvas.authorizationReview).toContainText("You are about to sign: EIP-7702 authorization");
    await expect(canvas.authorizationReview).toContainText(implementation);
    await expect(canvas.authorizationReview).toContainText(`(${stack.chainId})`);
    await expect(canvas.authorizationReview).toContainText(`Nonce${nonce + 1}`);
    expect(wallet.requests).not.toContain("wallet_signAuthorization");
    await canvas.authorizationSignButton.click();

    await expect(canvas.gateHeading).toHaveText(/No session key yet|revoked/, { timeout: 45_000 });
    expect(wallet.requests).toContain("wallet_signAuthorization");
    expect((await chain.getCode({ address: zeta.delegate_eoa! }))?.toLowerCase()).toBe(
      concat(["0xef0100", implementation]).toLowerCase(),
    );

    const preparedResponse = page.waitForResponse((response) => response.url().includes("/session-key/grant"));
    await canvas.grantButton.click();
    const prepared = (await (await preparedResponse).json()) as PreparedTransaction;
    expect(prepared.to.toLowerCase()).toBe(zeta.delegate_eoa!.toLowerCase());
    await expect(canvas.review).toContainText("You are about to sign: SessionKey7702Account.grantSessionKey");
    await canvas.signButton.click();
    await expect(canvas.gate).toBeHidden({ timeout: 45_000 });
    await expect(canvas.delegationStatus).toHaveAttribute("data-delegation", "delegated");

    await expect(canvas.card(STRATEGY)).toContainText("Account mode: EIP-7702");
    await expect(canvas.keyHolder(STRATEGY)).toContainText("strategy EOA (SessionKey7702Account)");
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.lastIntentLink(STRATEGY)).toContainText("COMPLETED", { timeout: 90_000 });
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "false");
    const href = await canvas.lastIntentLink(STRATEGY).getAttribute("href");
    const intent = await oms.intent(href!.split("/").pop()!);
    expect(intent).toMatchObject({ state: "COMPLETED", account_mode: "EIP7702" });
  });
});
