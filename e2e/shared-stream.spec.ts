import { countEventStreams } from "./fixtures/event-streams";
import { expect, test } from "./fixtures/test";
import { IntentsPage, OmsDriver } from "./pages/intents-page";

/**
 * Chromium gives a host six HTTP/1.1 connections; a tab that held its own intent stream left two tabs' fetches
 * queueing for the last one. The tabs of one session share the first tab's stream (lib/query/intent-bus-relay.ts).
 */
test.describe("one intent stream per browser", () => {
  test.beforeEach(async ({ signIn }) => {
    await signIn(1);
  });

  test("a second tab follows intents through the first tab's stream, and takes it over when the first closes", async ({
    page,
    request,
    stack,
  }) => {
    test.setTimeout(180_000);
    const oms = new OmsDriver(request, stack, 1);
    const alpha = oms.vault("Alpha");
    await oms.ensureSessionKey(alpha.vault_id);
    const first = new IntentsPage(page);
    await first.gotoHistory();
    await expect(first.liveIndicator).toHaveAttribute("data-status", "live");

    const secondPage = await page.context().newPage();
    const opened = countEventStreams(secondPage);
    const second = new IntentsPage(secondPage);
    await second.gotoHistory();
    await expect(second.liveIndicator).toHaveAttribute("data-status", "live");
    const intent = await oms.submitDeposit(alpha);
    await expect(second.rowState(intent.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });

    // The detail page follows the same shared stream: it opens no stream of its own either.
    const followed = await oms.submitDeposit(alpha);
    await second.gotoDetail(followed.id);
    await expect(second.timelineEvent("INTENT_COMPLETED")).toBeVisible({ timeout: 45_000 });
    await expect(second.headerState).toHaveAttribute("data-state", "COMPLETED");
    await second.gotoHistory();
    await expect(second.liveIndicator).toHaveAttribute("data-status", "live");
    expect(opened().intents).toBe(0);

    // The first tab goes: the second opens the stream itself, and its open page goes on updating live.
    await page.close();
    await expect.poll(() => opened().intents, { timeout: 15_000 }).toBe(1);
    const afterTakeover = await oms.submitDeposit(alpha);
    await expect(second.rowState(afterTakeover.id)).toHaveAttribute("data-state", "COMPLETED", { timeout: 45_000 });
  });
});
