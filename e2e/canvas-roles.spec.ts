import { expect, test } from "./fixtures/test";
import { CanvasPage } from "./pages/canvas-page";
import { OmsDriver } from "./pages/intents-page";

/**
 * The Strategy Canvas for who may not change a key: a wallet on another account than the primary
 * manager, a secondary manager, a view-only user; and the strategy preview (no intent created).
 * canvas.spec.ts has the primary manager's key flows.
 */
const STRATEGY = "Deploy idle assets";

test.describe("canvas with the wallet on another account", () => {
  test.use({ accountIndex: 1 });

  test("the connected account is not the vault's primary manager: no transaction is offered", async ({
    page,
    request,
    stack,
    signIn,
    wallet,
  }) => {
    const oms = new OmsDriver(request, stack, 2);
    const gamma = oms.vault("Gamma");
    await oms.ensureNoSessionKey(gamma.vault_id);
    await signIn(2);
    const canvas = new CanvasPage(page);
    await canvas.goto(gamma.vault_id);
    await canvas.connectWallet();
    await expect(canvas.gate.getByRole("status")).toContainText("The connected account is not the primary manager");
    await expect(canvas.grantButton).toHaveCount(0);
    expect(wallet.requests).not.toContain("eth_sendTransaction");
  });
});

test.describe("canvas for users who are not the primary manager", () => {
  test("a secondary manager sees the gate but cannot grant", async ({ page, request, stack, signIn }) => {
    const owner = new OmsDriver(request, stack, 1);
    const alpha = owner.vault("Alpha");
    await owner.ensureNoSessionKey(alpha.vault_id);
    await signIn(2);
    const canvas = new CanvasPage(page);
    await canvas.goto(alpha.vault_id);
    await expect(canvas.gate).toBeVisible();
    await expect(canvas.gateNotPrimary).toContainText("secondary manager");
    await expect(canvas.grantButton).toHaveCount(0);
    const grant = await page.request.get(`/api/oms/vaults/${encodeURIComponent(alpha.vault_id)}/session-key/grant`);
    expect(grant.status()).toBe(403);
  });

  test("a view-only user reads the canvas but cannot change a strategy", async ({ page, request, stack, signIn }) => {
    const owner = new OmsDriver(request, stack, 1);
    const alpha = owner.vault("Alpha");
    // Also restores Alpha's key for the specs after this one.
    await owner.ensureSessionKey(alpha.vault_id);
    await signIn(3);
    const canvas = new CanvasPage(page);
    await canvas.goto(alpha.vault_id);
    await expect(canvas.card(STRATEGY)).toBeVisible();
    await expect(canvas.gate).toBeHidden();
    await expect(page.getByRole("switch")).toHaveCount(0);
    await expect(canvas.killSwitch.getByRole("button")).toHaveCount(0);
    const list = await page.request.get(`/api/runner/strategies?vault_id=${encodeURIComponent(alpha.vault_id)}`);
    const strategy = ((await list.json()) as { strategies: { strategy_id: string; version: number }[] }).strategies[0]!;
    const change = await page.request.put(`/api/runner/strategies/${strategy.strategy_id}/state`, {
      data: { state: "RUNNING", expected_version: strategy.version },
      headers: { origin: new URL(stack.webUrl).origin },
    });
    expect(change.status()).toBe(403);
  });
});

test.describe("strategy preview", () => {
  test("Preview next intent shows the refined plan, and a failing plan in red with its hint", async ({
    page,
    request,
    stack,
    signIn,
  }) => {
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    await signIn(1);
    const canvas = new CanvasPage(page);
    await canvas.goto(alpha.vault_id);
    const card = canvas.card(STRATEGY);

    await card.getByRole("button", { name: "Preview next intent" }).click();
    const preview = card.getByTestId("strategy-preview");
    await expect(preview).toHaveAttribute("data-kind", "PLANNED", { timeout: 30_000 });
    await expect(preview).toContainText("DEPOSIT");
    await expect(preview).toContainText("Expected out");
    await expect(preview).toContainText("ETH at most");
    await expect(preview).toContainText("no intent was created");

    // The same card when the OMS says the plan would fail: red text with the hint, before anything is sent.
    await page.route("**/api/runner/strategies/*/preview", async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      const error = { code: "INSUFFICIENT_FREE_ASSETS", message: "size exceeds free assets", revert: null };
      body.refinement = {
        ...body.refinement,
        outcome: "FAILED",
        plan: null,
        gas: null,
        error: {
          ...error,
          title: "Not enough free assets",
          hint: "The vault's idle balance is smaller than the intent's size.",
        },
      };
      await route.fulfill({ response, json: body });
    });
    await card.getByRole("button", { name: "Preview next intent" }).click();
    await expect(preview).toHaveAttribute("data-kind", "FAILED");
    await expect(preview.getByRole("alert")).toContainText("Not enough free assets");
  });
});
