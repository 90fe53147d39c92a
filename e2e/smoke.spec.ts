import type { Page } from "@playwright/test";
import { createSiweMessage } from "viem/siwe";
import { devAccount } from "../lib/chain/dev-accounts";
import { E2E_BASE_URL } from "./fixtures/env";
import { expect, test } from "./fixtures/test";
import { SignInPage } from "./pages/signin-page";

test.describe("smoke", () => {
  test("without a session, pages lead to sign-in and the API answers 401 with a code", async ({ page }) => {
    await page.goto("/intents?state=ACKED");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fintents%3Fstate%3DACKED/);
    await expect(new SignInPage(page).heading).toBeVisible();

    const response = await page.request.get("/api/oms/intents");
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("UNAUTHENTICATED");
    expect((await page.request.get("/api/me")).status()).toBe(401);
    expect((await page.request.get("/api/chain/head")).status()).toBe(401);

    const jwks = (await (await page.request.get("/api/auth/jwks")).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys[0]?.kid).toBeTruthy();
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  test("the dashboard does not download wallet code; the sign-in page does", async ({ page, signIn, browser }) => {
    // A RainbowKit theme variable name: a string literal in its bundle, whatever the minifier does.
    const collectWalletCode = (target: Page): (() => Promise<boolean>) => {
      const scripts: Promise<string>[] = [];
      target.on("response", (response) => {
        if (response.request().resourceType() === "script") scripts.push(response.text().catch(() => ""));
      });
      return async () => (await Promise.all(scripts)).some((text) => text.includes("rk-colors-modal"));
    };

    const dashboardHasWalletCode = collectWalletCode(page);
    await signIn();
    await page.goto("/intents");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.waitForLoadState("load");
    expect(await dashboardHasWalletCode()).toBe(false);

    // A context of its own: the signed-in page's session refresh could set the cookie again after a clear.
    const signedOut = await browser.newContext({ baseURL: E2E_BASE_URL });
    const signInPage = await signedOut.newPage();
    const signInHasWalletCode = collectWalletCode(signInPage);
    await signInPage.goto("/signin");
    await expect(new SignInPage(signInPage).connectButton).toBeVisible();
    expect(await signInHasWalletCode()).toBe(true);
    await signedOut.close();
  });

  test("a script exchanges a signed SIWE message for a bearer token the OMS accepts", async ({ request, stack }) => {
    const account = devAccount(1);
    const base = new URL(stack.webUrl);
    const { nonce } = (await (await request.post("/api/auth/nonce")).json()) as { nonce: string };
    const message = createSiweMessage({
      domain: base.host,
      uri: base.origin,
      version: "1",
      address: account.address,
      chainId: stack.chainId,
      nonce,
      issuedAt: new Date(),
      expirationTime: new Date(Date.now() + 60_000),
    });
    const signature = await account.signMessage({ message });
    const issued = await request.post("/api/auth/token", { data: { message, signature } });
    expect(issued.status()).toBe(200);
    const { token } = (await issued.json()) as { token: string };

    const replay = await request.post("/api/auth/token", { data: { message, signature } });
    expect(replay.status()).toBe(401);
    expect((await replay.json()).error.code).toBe("NONCE_INVALID");

    const vaults = await request.get(`${stack.omsUrl}/defix/vaults`, { headers: { authorization: `Bearer ${token}` } });
    expect(vaults.status()).toBe(200);
  });
});
