import { installStreamTap, tappedConnections } from "./fixtures/stream-tap";
import { expect, test } from "./fixtures/test";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

/**
 * The history resumes its event stream after an OMS restart by position (Last-Event-ID): what happened
 * while it was away arrives as the events themselves, once each, and the page is exact without a reload.
 */
test.describe("history across an OMS restart", () => {
  test.beforeEach(async ({ signIn }) => {
    await signIn(1);
  });

  test("after reconnecting shows exactly the events and states it missed, with no reload", async ({
    page,
    request,
    stack,
  }) => {
    test.skip(stack.controlUrl === null, "restarting the OMS needs the suite's own stack (E2E_BASE_URL is set)");
    // An OMS restart (a tsx boot) plus an intent's whole lifecycle: minutes on a busy machine.
    test.setTimeout(240_000);
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    const beta = oms.vault("Beta");
    await oms.ensureSessionKey(alpha.vault_id);
    await oms.ensureNoSessionKey(beta.vault_id);
    await installStreamTap(page);
    const ui = new IntentsPage(page);
    await ui.gotoHistory();
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live");
    // Waits for a session key: it stays ACKED until it is cancelled during the outage.
    const waiting = await oms.submitDeposit(beta);
    await expect(ui.rowState(waiting.id)).toHaveAttribute("data-state", "ACKED", { timeout: 30_000 });
    await page.evaluate(() => {
      (window as { isSamePage?: boolean }).isSamePage = true;
    });
    const seenBefore = (await tappedConnections(page)).flatMap((connection) => connection.frames);
    const lastId = seenBefore.findLast((frame) => frame.id !== null)?.id ?? null;
    expect(lastId).not.toBeNull();

    // While the OMS restarts and moves on, the page's stream stays away (its reconnects fail) and the
    // list cannot be refetched: whatever the page shows afterwards came through the resumed stream.
    let isHolding = true;
    const listRequests: { url: string; at: number }[] = [];
    await page.route("**/api/oms/stream**", (route) => (isHolding ? route.abort() : route.fallback()));
    await page.route(/\/api\/oms\/intents(\?|$)/, (route) => {
      listRequests.push({ url: route.request().url(), at: Date.now() });
      return route.abort();
    });
    await oms.setOms(false);
    await expect(ui.liveIndicator).toHaveAttribute("data-status", "stale");
    await oms.setOms(true);
    const missed = await oms.submitDeposit(alpha);
    await oms.cancel(waiting.id);
    await oms.waitForState(missed.id, "COMPLETED");
    isHolding = false;

    await expect(ui.liveIndicator).toHaveAttribute("data-status", "live", { timeout: 30_000 });
    await expect(ui.rowState(missed.id)).toHaveAttribute("data-state", "COMPLETED");
    await expect(ui.rowState(waiting.id)).toHaveAttribute("data-state", "CANCELED");
    expect(await page.evaluate(() => (window as { isSamePage?: boolean }).isSamePage)).toBe(true);

    // The resumed connection asked for what followed the last event seen, and got exactly the two
    // intents' events committed after it, in position order, none twice.
    // The tab holds one intent stream (lib/query/intent-bus.ts) shared by the history and the nav badge.
    const connections = await tappedConnections(page);
    const resumed = connections.findLast((connection) => connection.lastEventId !== null);
    expect(connections.length).toBeGreaterThan(1);
    expect(resumed?.lastEventId).toBe(lastId);
    const expected = [...(await oms.events(waiting.id)), ...(await oms.events(missed.id))]
      .filter((event) => (event.position ?? 0) > Number(lastId))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((event) => String(event.position));
    const replayed = (resumed?.frames ?? [])
      .filter((frame) => frame.intentId === waiting.id || frame.intentId === missed.id)
      .map((frame) => frame.id);
    expect(replayed).toEqual(expected);
    expect(expected.length).toBeGreaterThan(2);
    // The list itself was not refetched to get there: the attempts while the stream was away are the
    // polling fallback; once it is back only the counts are settled (a one-row page). The approvals queue
    // (approval_status=pending) is its own cache entry and may be refetched on a reconnect.
    const refetches = listRequests.filter(
      (request) =>
        request.at >= (resumed?.openedAt ?? 0) &&
        !/[?&]limit=1(&|$)/.test(request.url) &&
        !new URL(request.url).searchParams.has("approval_status"),
    );
    expect(refetches).toEqual([]);
  });
});
