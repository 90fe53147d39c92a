import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { decodeJwt } from "jose";
import { loadManifest } from "../lib/deployment/manifest";
import { recordCspViolations } from "./fixtures/csp";
import { expect, test } from "./fixtures/test";
import { AppShell } from "./pages/app-shell";
import { SignInPage } from "./pages/signin-page";

/** A compact JWS (3 segments). next-auth's own cookie is a JWE (5 segments, empty key part), which this never matches. */
const JWS = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/g;

/** Any OMS token (aud defix-oms) in a text. */
function omsTokensIn(text: string): string[] {
  return (text.match(JWS) ?? []).filter((candidate) => {
    try {
      return decodeJwt(candidate).aud === "defix-oms";
    } catch {
      return false;
    }
  });
}

/** Records every response body the page receives (SSE streams excluded: they never end). */
function recordBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", (response) => {
    if ((response.headers()["content-type"] ?? "").includes("text/event-stream")) return;
    response.text().then(
      (text) => bodies.push(text),
      () => undefined, // redirects and aborted requests have no body to inspect
    );
  });
  return bodies;
}

test.describe("sign-in with a wallet", () => {
  test("connects, signs the SIWE message and reaches the dashboard; the OMS token never reaches the browser", async ({
    page,
    context,
    wallet,
  }) => {
    const bodies = recordBodies(page);
    const cspViolations = await recordCspViolations(page);
    const signInPage = new SignInPage(page);
    await signInPage.goto();
    await signInPage.signInWithWallet();

    const shell = new AppShell(page);
    await expect(page).toHaveURL(/\/$/);
    await expect(shell.address).toHaveAttribute("title", wallet.address.toLowerCase());
    // Account #1 manages vaults A and B, not C (its primary is #2).
    await expect(shell.vaultLink("Alpha Vault")).toBeVisible();
    await expect(shell.vaultLink("Beta Vault")).toBeVisible();
    await expect(shell.vaultLink("Gamma Vault")).toHaveCount(0);
    expect(wallet.requests).toContain("personal_sign");

    // The BFF works for this session, and neither it nor the session endpoint hands out the token.
    const me = await page.request.get("/api/me");
    expect(me.ok()).toBe(true);
    expect(omsTokensIn(await me.text())).toEqual([]);
    const head = (await (await page.request.get("/api/chain/head")).json()) as { block_number: number };
    expect(head.block_number).toBeGreaterThan(0);
    const session = await page.request.get("/api/auth/session");
    expect(Object.keys(await session.json()).sort()).toEqual(["address", "expires"]);

    const cookies = await context.cookies();
    const sessionCookie = cookies.find((cookie) => cookie.name.includes("next-auth.session-token"));
    expect(sessionCookie?.httpOnly).toBe(true);
    const storage = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(storage.cookie).not.toContain("session-token");
    expect(omsTokensIn(`${storage.cookie} ${storage.local} ${storage.session}`)).toEqual([]);
    expect(bodies.length).toBeGreaterThan(3);
    expect(bodies.flatMap(omsTokensIn)).toEqual([]);
    // The modal, the injected wallet's sign-in and the dashboard all ran under the page CSP without a refusal.
    expect(cspViolations()).toEqual([]);
  });

  test("a rejected signature leaves the user on the sign-in page, signed out", async ({ page, wallet }) => {
    const signInPage = new SignInPage(page);
    await signInPage.goto();
    await signInPage.openConnectModal();
    await signInPage.walletOption.click();
    // Only the signature is refused: rejecting before the connection settled would refuse eth_requestAccounts.
    await expect(signInPage.signMessageButton).toBeVisible();
    wallet.rejectNext();
    await signInPage.signMessageButton.click();
    await expect(page.getByText(/rejected|cancel/i).first()).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
    expect((await (await page.request.get("/api/auth/session")).json()) as object).toEqual({});
  });

  test("switching the wallet to another account signs out and returns to sign-in", async ({ page, wallet, signIn }) => {
    await signIn();
    await page.goto("/");
    await expect(new AppShell(page).address).toHaveAttribute("title", wallet.address.toLowerCase());
    // Retried: a switch announced before the page hydrated has no listener yet (a human is slower).
    await expect(async () => {
      await wallet.switchAccount(2);
      await expect(page).toHaveURL(/\/signin\?reason=account-changed/, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(new SignInPage(page).notice).toContainText("switched to another account");
  });

  test("sign-out ends the session and the dashboard sends the user back to sign-in", async ({ page, signIn }) => {
    await signIn();
    await page.goto("/intents");
    await new AppShell(page).signOut();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/intents");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fintents/);
    expect((await page.request.get("/api/oms/intents")).status()).toBe(401);
  });
});

test.describe("the BFF in the browser's session", () => {
  test.use({ accountIndex: 3 }); // view-only on vault A, no role on vault C

  test("refuses cross-site POSTs, path traversal, and vaults without a role", async ({ page, signIn, stack }) => {
    await signIn();
    const intentId = "7d9f1d2e-3c4b-4a5d-8e6f-0a1b2c3d4e5f";
    const crossSite = await page.request.post(`/api/oms/intents/${intentId}/cancel`, {
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status()).toBe(403);
    expect((await crossSite.json()).error.code).toBe("CSRF_REJECTED");

    for (const path of [
      "/api/oms/intents/..%2F..%2Fopenapi.json",
      "/api/oms/intents/%2e%2e%2fvaults",
      `/api/oms/vaults/${encodeURIComponent("31337:0x..%2F..%2Fintents")}/session-key/readiness`,
      "/api/oms/intents?vault_id=http://evil.example",
    ]) {
      const response = await page.request.get(path);
      expect([400, 404], path).toContain(response.status());
      expect(await response.text(), path).not.toContain("openapi");
    }

    const me = (await (await page.request.get("/api/me")).json()) as { vaults: { vault_id: string }[] };
    const mine = new Set(me.vaults.map((vault) => vault.vault_id));
    const others = deployedVaultIds(stack.dataDir).filter((vaultId) => !mine.has(vaultId));
    expect(mine.size).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const vaultId of others) {
      const vault = encodeURIComponent(vaultId);
      expect([403, 404], `readiness of ${vaultId}`).toContain(
        (await page.request.get(`/api/oms/vaults/${vault}/session-key/readiness`)).status(),
      );
      expect([403, 404], `history of ${vaultId}`).toContain(
        (await page.request.get(`/api/oms/vaults/${vault}/session-key/history`)).status(),
      );
      expect([403, 404], `intents of ${vaultId}`).toContain(
        (await page.request.get(`/api/oms/intents?vault_id=${vault}`)).status(),
      );
    }
    // View-only on its own vault: reading is fine, preparing a session-key grant is the primary manager's.
    const own = me.vaults[0]!.vault_id;
    expect((await page.request.get(`/api/oms/vaults/${encodeURIComponent(own)}/session-key/readiness`)).status()).toBe(
      200,
    );
    const grant = await page.request.get(`/api/oms/vaults/${encodeURIComponent(own)}/session-key/grant`);
    expect(grant.status()).toBe(403);
  });

  test("propagates the request id to the OMS: the same id is in both logs", async ({ page, signIn, stack }) => {
    test.skip(stack.controlUrl === null, "reads the suite's own stack logs");
    await signIn();
    const requestId = `e2e-trace-${Date.now()}`;
    const response = await page.request.get("/api/oms/vaults", { headers: { "x-request-id": requestId } });
    expect(response.headers()["x-request-id"]).toBe(requestId);
    const logs = ["web.log", "oms.log"].map((name) => path.join(stack.dataDir, "logs", name));
    await expect.poll(() => logs.map((file) => readFileSync(file, "utf8").includes(requestId))).toEqual([true, true]);
  });

  test("answers 502 UPSTREAM_UNAVAILABLE while the OMS is down", async ({ page, signIn, stack }) => {
    test.skip(stack.controlUrl === null, "needs the suite's own stack to stop the OMS");
    await signIn();
    const stop = await fetch(`${stack.controlUrl}/oms/stop`, { method: "POST" });
    expect(stop.status).toBe(204);
    try {
      const response = await page.request.get("/api/oms/vaults");
      expect(response.status()).toBe(502);
      expect((await response.json()).error.code).toBe("UPSTREAM_UNAVAILABLE");
    } finally {
      await fetch(`${stack.controlUrl}/oms/start`, { method: "POST" });
    }
    expect((await page.request.get("/api/oms/vaults")).status()).toBe(200);
  });
});

function deployedVaultIds(dataDir: string): string[] {
  return loadManifest(path.join(dataDir, "deployment.json")).vaults.map((vault) => vault.vault_id);
}
