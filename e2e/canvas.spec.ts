import { decodeFunctionData, encodeFunctionData } from "viem";
import { sessionKeyExecutorAbi } from "../contracts/generated/abis";
import type { PreparedTransaction } from "../lib/defix/session-keys";
import { formatExact } from "../lib/format/time";
import { tamperPreparedTransactions } from "./fixtures/prepared-tx-tamper";
import { expect, test } from "./fixtures/test";
import { CanvasPage } from "./pages/canvas-page";
import { OmsDriver } from "./pages/intents-page";

/**
 * The Strategy Canvas and its session-key gate against the real stack, as the primary manager: grant,
 * rotate, revoke, tampered calldata, a rotation the chain never saw, the kill switch. Account 2 is the
 * primary manager of Gamma (only the canvas specs touch Gamma's key); the other roles are in
 * canvas-roles.spec.ts. The wallet is the injected test wallet: every transaction is signed by the dev key.
 */
const STRATEGY = "Deploy idle assets";

test.describe("canvas as the primary manager", () => {
  test.use({ accountIndex: 2 });

  test("gate → rejected signature → grant → strategy publishes a completed intent → rotate → revoke", async ({
    page,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    test.setTimeout(180_000);
    const oms = new OmsDriver(request, stack, 2);
    const gamma = oms.vault("Gamma");
    await oms.ensureNoSessionKey(gamma.vault_id);
    await signIn(2);
    const canvas = new CanvasPage(page);
    await canvas.goto(gamma.vault_id);

    // No key: the overlay blocks the lanes and offers the wallet flow.
    await expect(canvas.gate).toBeVisible();
    await expect(canvas.gateHeading).toHaveText(/No session key yet|revoked/);
    await expect(canvas.runningSwitch(STRATEGY)).toBeHidden();
    await canvas.connectWallet();

    // A rejected signature is a clear, recoverable state.
    wallet.rejectNext();
    await canvas.grantButton.click();
    await canvas.signButton.click();
    await expect(canvas.gate.getByRole("alert")).toHaveText(/You rejected the signature/);
    await expect(canvas.gate).toBeVisible();
    await expect(canvas.grantButton).toBeEnabled();

    // Before the wallet opens, the decoded grant: contract and function, the key, its expiry, its
    // permissions and the ETH that leaves the manager's wallet.
    const sentBefore = wallet.requests.filter((method) => method === "eth_sendTransaction").length;
    const preparedResponse = page.waitForResponse((response) => response.url().includes("/session-key/grant"));
    await canvas.grantButton.click();
    const prepared = (await (await preparedResponse).json()) as PreparedTransaction;
    await expect(canvas.review).toBeFocused();
    await expect(canvas.review).toContainText("You are about to sign: SessionKeyExecutor.grantSessionKey");
    await expect(canvas.review).toContainText(prepared.session_key_address!);
    await expect(canvas.review).toContainText(`${formatExact(prepared.expires_at!)} (in 7 d)`);
    await expect(canvas.review).toContainText("Execute hooks");
    await expect(canvas.review).toContainText("Forwards 1 ETH from your wallet to the key");
    await canvas.review.getByRole("button", { name: "Show wei" }).press("Enter");
    await expect(canvas.review).toContainText("1000000000000000000 wei");
    expect(wallet.requests.filter((method) => method === "eth_sendTransaction")).toHaveLength(sentBefore);

    // Grant: the wallet signs the checked transaction, the receipt lands, the overlay lifts.
    await canvas.signButton.click();
    await expect(canvas.gate).toBeHidden({ timeout: 45_000 });
    await expect(canvas.keyStatus).toContainText("is active");
    expect(wallet.requests).toContain("eth_sendTransaction");

    // Start a strategy: its intent shows on the card, completes, and is in the history.
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "true");
    await expect(canvas.lastIntentLink(STRATEGY)).toContainText("COMPLETED", { timeout: 60_000 });
    const href = await canvas.lastIntentLink(STRATEGY).getAttribute("href");
    expect(href).toMatch(/^\/intents\/[0-9a-f-]{36}$/);
    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "false");
    const intent = await oms.intent(href!.split("/").pop()!);
    expect(intent).toMatchObject({ state: "COMPLETED", action: "DEPOSIT", submitted_by: "svc:strategy-runner" });
    await page.goto(`/intents?vault_id=${encodeURIComponent(gamma.vault_id)}`);
    await expect(page.locator(`a[href="${href}"]`).first()).toBeVisible();
    // The history names the strategy as the runner does, in the row and in the strategy filter.
    const row = page.locator(`tr[data-intent-id="${intent.id}"]`);
    await expect(row).toContainText(STRATEGY);
    await expect(page.getByRole("combobox", { name: "Strategy" })).toContainText(STRATEGY);
    await page.goto(href!);
    await expect(page.getByText("COMPLETED").first()).toBeVisible();

    // Rotate before expiry: a new key, completed through the OMS.
    await canvas.goto(gamma.vault_id);
    await expect(canvas.keyStatus).toContainText("is active");
    const before = await canvas.keyAddress();
    await canvas.rotateKeyButton.click();
    // Backing out at the review discards the prepared rotation, so the next one is not refused as pending.
    await canvas.rotateButton.click();
    await expect(canvas.review).toContainText("SessionKeyExecutor.rotateSessionKey");
    await canvas.review.press("Escape");
    await expect(canvas.review).toHaveCount(0);
    await expect(canvas.keyStatus).not.toContainText("is pending");
    await canvas.rotateButton.click();
    await expect(canvas.review).toContainText("SessionKeyExecutor.rotateSessionKey");
    await expect(canvas.review).toContainText(`Replaces key${before}`);
    await canvas.signButton.click();
    await expect.poll(() => canvas.keyAddress(), { timeout: 45_000 }).not.toBe(before);
    await expect(canvas.keyStatus).not.toContainText("pending");

    // Revoke, behind a confirmation: the gate comes back.
    await canvas.revokeKeyButton.click();
    await expect(canvas.revokeConfirmation).toContainText("Automation will stop");
    await canvas.revokeButton.click();
    await expect(canvas.review).toContainText("SessionKeyExecutor.revokeSessionKey");
    await expect(canvas.review).toContainText("None: no ETH leaves your wallet");
    await canvas.signButton.click();
    await expect(canvas.gate).toBeVisible({ timeout: 45_000 });
    await expect(canvas.gateHeading).toHaveText("The session key was revoked");

    // The audit trail shows every step.
    await canvas.historyToggle.click();
    await expect(canvas.history).toContainText("Granted");
    await expect(canvas.history).toContainText("Revoked");
  });
});

test.describe("canvas as the primary manager, with a compromised OMS", () => {
  test.use({ accountIndex: 2 });

  test("prepared calldata for another vault, or for another contract, is refused before the wallet opens", async ({
    page,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    const oms = new OmsDriver(request, stack, 2);
    const gamma = oms.vault("Gamma");
    const alpha = oms.vault("Alpha");
    await oms.ensureNoSessionKey(gamma.vault_id);
    let tamper: (prepared: PreparedTransaction) => PreparedTransaction = (prepared) => {
      // A well-formed grant, on the right executor, for the key the OMS announced, but of Alpha's strategy.
      const call = decodeFunctionData({ abi: sessionKeyExecutorAbi, data: prepared.data });
      if (call.functionName !== "grantSessionKey") throw new Error(`unexpected ${call.functionName}`);
      const [, key, expiry, permissions] = call.args;
      const data = encodeFunctionData({
        abi: sessionKeyExecutorAbi,
        functionName: "grantSessionKey",
        args: [alpha.strategy, key, expiry, permissions],
      });
      return { ...prepared, data };
    };
    await tamperPreparedTransactions(page, "grant", (prepared) => tamper(prepared));
    await signIn(2);
    const canvas = new CanvasPage(page);
    await canvas.goto(gamma.vault_id);
    await canvas.connectWallet();

    await canvas.grantButton.click();
    const refusal = canvas.gate.getByRole("alert");
    await expect(refusal).toContainText("Transaction refused before signing PREPARED_TX_REJECTED");
    await expect(refusal).toContainText(`not of this vault (${gamma.strategy})`);
    await expect(refusal).toContainText("Nothing was signed");
    await expect(canvas.review).toHaveCount(0);

    tamper = (prepared) => ({ ...prepared, to: gamma.address });
    await canvas.grantButton.click();
    await expect(refusal).toContainText(`addressed to ${gamma.address}, not to this deployment's SessionKeyExecutor`);
    await expect(canvas.review).toHaveCount(0);
    expect(wallet.requests).not.toContain("eth_sendTransaction");
    expect((await oms.readiness(gamma.vault_id)).is_ready).toBe(false);

    // A rotation that would revoke some other key than the active one: refused, and the rotation the
    // OMS prepared for it is discarded, since nothing was sent.
    await oms.ensureSessionKey(gamma.vault_id);
    await tamperPreparedTransactions(page, "rotation", (prepared) => {
      const call = decodeFunctionData({ abi: sessionKeyExecutorAbi, data: prepared.data });
      if (call.functionName !== "rotateSessionKey") throw new Error(`unexpected ${call.functionName}`);
      const [strategy, , newKey, expiry, permissions] = call.args;
      const data = encodeFunctionData({
        abi: sessionKeyExecutorAbi,
        functionName: "rotateSessionKey",
        args: [strategy, wallet.address, newKey, expiry, permissions],
      });
      return { ...prepared, data };
    });
    await canvas.goto(gamma.vault_id);
    await expect(canvas.keyStatus).toContainText("is active");
    await canvas.rotateKeyButton.click();
    await canvas.rotateButton.click();
    const rotationRefusal = canvas.keyStatus.getByRole("alert");
    await expect(rotationRefusal).toContainText("PREPARED_TX_REJECTED");
    await expect(rotationRefusal).toContainText(
      `revokes key ${wallet.address.toLowerCase()}, but the vault's active key`,
    );
    await expect.poll(async () => (await oms.readiness(gamma.vault_id)).pending_rotation).toBe(false);
    expect(wallet.requests).not.toContain("eth_sendTransaction");
  });
});

test.describe("canvas as the primary manager, edge states", () => {
  test.use({ accountIndex: 2 });

  test("a rotation completed before it is on-chain is refused and can be cancelled; the kill switch stops all", async ({
    page,
    request,
    stack,
    signIn,
  }) => {
    const oms = new OmsDriver(request, stack, 2);
    const gamma = oms.vault("Gamma");
    await oms.ensureSessionKey(gamma.vault_id);
    // Prepared but never sent: the OMS holds a pending key the chain does not know.
    const prepared = await request.get(`${stack.omsUrl}/defix/vaults/${gamma.vault_id}/session-key/rotation`, {
      headers: { authorization: `Bearer ${await oms.bearer()}` },
    });
    expect(prepared.status()).toBe(200);
    await signIn(2);
    const canvas = new CanvasPage(page);
    await canvas.goto(gamma.vault_id);
    await expect(canvas.keyStatus).toContainText("is pending");
    await canvas.keyStatus.getByRole("button", { name: "Complete rotation" }).click();
    await expect(
      canvas.keyStatus.getByRole("alert").filter({ hasText: /does not show the new key yet/ }),
    ).toBeVisible();
    await canvas.keyStatus.getByRole("button", { name: "Cancel rotation" }).click();
    await expect(canvas.keyStatus).not.toContainText("is pending");
    await expect(canvas.keyStatus).toContainText("is active");

    await canvas.runningSwitch(STRATEGY).click();
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "true");
    await canvas.killSwitch.getByRole("button", { name: "Engage kill switch" }).click();
    await expect(canvas.killSwitch).toContainText("Kill switch engaged");
    await expect(canvas.runningSwitch(STRATEGY)).toHaveAttribute("aria-checked", "false");
    await canvas.killSwitch.getByRole("button", { name: "Release kill switch" }).click();
    await expect(canvas.killSwitch).toContainText("Kill switch off");
  });
});
