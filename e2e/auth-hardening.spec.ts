import { recordCspViolations } from "./fixtures/csp";
import { expect, test } from "./fixtures/test";
import { AppShell } from "./pages/app-shell";
import { SignInPage } from "./pages/signin-page";

/** A compact JWS (3 segments). next-auth's own cookie is a JWE (5 segments, empty key part), which this never matches. */

/** Issue 12 on the sign-in surface: hostile input and the response headers every page and API route carries. */
const HOSTILE_CALLBACK = "?callbackUrl=%2F%09%2Fevil.example%2Fx";

test.describe("hostile input on sign-in", () => {
  test.beforeEach(async ({ page }) => {
    // Were the browser sent there, it would find a page saying so (nothing resolves evil.example here).
    await page.context().route(
      (url) => url.hostname.endsWith("evil.example"),
      (route) => route.fulfill({ status: 200, body: "left the origin" }),
    );
  });

  test("a signed-in user opening a tab-trick callbackUrl stays on the dashboard", async ({ page, signIn, stack }) => {
    await signIn();
    await page.goto(`/signin${HOSTILE_CALLBACK}`);
    expect(new URL(page.url()).origin).toBe(new URL(stack.webUrl).origin);
    await expect(new AppShell(page).address).toBeVisible();
  });

  test("a fresh sign-in from a tab-trick callbackUrl lands on the dashboard", async ({
    page,
    stack,
    wallet: _wallet,
  }) => {
    const signInPage = new SignInPage(page);
    await signInPage.goto(HOSTILE_CALLBACK);
    await signInPage.signInWithWallet();
    await expect(new AppShell(page).address).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(stack.webUrl).origin);
  });

  test("a huge or pathological SIWE message is refused fast and the dashboard keeps answering", async ({
    page,
    request,
  }) => {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const post = (message: string) =>
      request.post("/api/auth/callback/credentials", {
        form: { csrfToken, message, signature: `0x${"11".repeat(65)}`, json: "true" },
      });
    const started = Date.now();
    const huge = await post("URI: ".repeat(30_000)); // 146 KiB: froze the event loop for 6 s before
    expect(huge.status()).toBe(413);
    expect((await huge.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    const underTheBodyLimit = await post("URI: ".repeat(3_000)); // 21 KB encoded: reaches the SIWE bounds
    expect((await underTheBodyLimit.json()).url).toContain("error=MALFORMED");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await page.request.get("/api/health")).ok()).toBe(true);
  });

  test("an ordinary HTTP client uploading an oversized body reads the 413", async ({ stack }) => {
    // Node's fetch keeps uploading while the answer arrives; a closed socket would surface as "fetch failed".
    const response = await fetch(new URL("/api/auth/callback/credentials", stack.webUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `message=${"URI%3A+".repeat(750_000)}`,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  test("a rate-limited sign-in tells the user how long to wait", async ({ page, wallet: _wallet }) => {
    await page.route("**/api/auth/nonce", (route) =>
      route.fulfill({
        status: 429,
        headers: { "retry-after": "42", "content-type": "application/json" },
        body: JSON.stringify({ error: { code: "RATE_LIMITED", message: "Too many requests. Try again in 42 s." } }),
      }),
    );
    const signInPage = new SignInPage(page);
    await signInPage.goto();
    await signInPage.openConnectModal();
    await signInPage.walletOption.click();
    await expect(signInPage.alert).toContainText("Wait 42 seconds");
  });
});

test.describe("response headers", () => {
  test("pages and API routes carry CSP (frame-ancestors 'none'), nosniff and a referrer policy", async ({
    request,
  }) => {
    for (const path of ["/signin", "/api/auth/csrf", "/api/health"]) {
      const response = await request.get(path);
      const headers = response.headers();
      expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    }
    const page = (await request.get("/signin")).headers()["content-security-policy"] ?? "";
    expect(page).toMatch(/script-src 'self' 'nonce-[\w+/=]+' 'strict-dynamic'/);
    expect(page).not.toContain("unsafe-inline' 'strict"); // scripts never run inline without the nonce
  });

  test("the dashboard's pages and the canvas run without a CSP violation", async ({ page, signIn }) => {
    const violations = await recordCspViolations(page);
    await signIn();
    const me = (await (await page.request.get("/api/me")).json()) as { vaults: { vault_id: string }[] };
    const shell = new AppShell(page);
    for (const path of ["/", "/intents", `/vaults/${encodeURIComponent(me.vaults[0]!.vault_id)}/canvas`]) {
      await page.goto(path);
      await expect(shell.address).toBeVisible();
      await expect(page.getByRole("main")).not.toBeEmpty();
    }
    await page.goto("/no-such-page");
    expect(violations()).toEqual([]);
  });

  test("the sign-in page does not hand the chain URL to signed-out visitors unless it is local", async ({
    request,
    stack,
  }) => {
    const html = await (await request.get("/signin")).text();
    const isLocal = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(stack.rpcUrl);
    expect(html.includes(stack.rpcUrl)).toBe(isLocal);
  });
});
