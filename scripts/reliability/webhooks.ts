import { poll } from "../../oms/api/test-support/oms-world";
import { startWebhookWorld } from "../bench/lib/webhook-world";

export interface WebhookFlapReport {
  intents: number;
  events: number;
  /** Deliveries the OMS created (one per event) and their attempts. */
  deliveries: number;
  attempted: number;
  succeeded: number;
  failedAttempts: number;
  /** Events with no 2xx delivery at the receiver when the run ended. */
  lost: number;
  /** webhook-ids the receiver accepted more than once (at-least-once duplicates). */
  duplicates: number;
  unverified: number;
  flaps: number;
}

/**
 * `reliability -- webhooks`: intents submitted while the receiver flaps (1.5 s answering 503, 1.5 s
 * fine, alternately) with 1–2 s retries; then it is healthy and the run waits for the queue to drain.
 * Every event must end up delivered, signed, and the attempts must show the retries.
 */
export async function webhookFlapRun(options: {
  intents: number;
  log: (line: string) => void;
}): Promise<WebhookFlapReport> {
  const ww = await startWebhookWorld({
    WEBHOOK_RETRY_SCHEDULE: "1,1,2,2,2,2,2,2,2,2,2,2",
    WEBHOOK_DISABLE_AFTER_FAILURES: "100000",
    WEBHOOK_TIMEOUT_MS: "2000",
  });
  try {
    const started = Date.now();
    let flaps = 0;
    let isDown = false;
    ww.receiver.respondWith(() => (isDown ? 503 : 200));
    const flapper = setInterval(() => {
      isDown = !isDown;
      if (isDown) flaps += 1;
    }, 1_500);
    const ids: string[] = [];
    for (let seq = 1; seq <= options.intents; seq += 1) {
      const id = await ww.submit(seq);
      if (id) ids.push(id);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    options.log(`submitted ${ids.length} intents in ${((Date.now() - started) / 1000).toFixed(1)} s while flapping`);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    clearInterval(flapper);
    isDown = false;
    const eventIds = new Set<string>();
    const accepted = () =>
      new Set(
        ww.receiver.received
          .filter((item) => item.status < 300)
          .map((item) => (item.body as { data?: { event?: { event_id?: string } } }).data?.event?.event_id ?? ""),
      );
    await poll(
      async () => {
        for (const id of ids) for (const event of await ww.events(id)) eventIds.add(event.event_id);
        const got = accepted();
        return [...eventIds].every((id) => got.has(id)) ? true : null;
      },
      "every event delivered",
      120_000,
    ).catch((error: unknown) => options.log(String(error)));
    const deliveries = await ww.deliveries();
    const got = accepted();
    const seen = new Map<string, number>();
    for (const item of ww.receiver.received.filter((entry) => entry.status < 300)) {
      seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
    }
    return {
      intents: ids.length,
      events: eventIds.size,
      deliveries: deliveries.length,
      attempted: deliveries.reduce((sum, delivery) => sum + delivery.attempts, 0),
      succeeded: deliveries.filter((delivery) => delivery.status === "succeeded").length,
      failedAttempts: deliveries.reduce(
        (sum, delivery) => sum + delivery.attempt_log.filter((attempt) => !attempt.succeeded).length,
        0,
      ),
      lost: [...eventIds].filter((id) => !got.has(id)).length,
      duplicates: [...seen.values()].filter((count) => count > 1).length,
      unverified: ww.receiver.received.filter((item) => item.verified !== true).length,
      flaps,
    };
  } finally {
    await ww.stop();
  }
}

export function printWebhookFlapReport(report: WebhookFlapReport): boolean {
  console.log(`
webhooks under a flapping receiver (${report.flaps} outages of 1.5 s, 503s)
  intents submitted          ${report.intents}
  events committed           ${report.events}
  deliveries created         ${report.deliveries}
  delivery attempts          ${report.attempted} (${report.failedAttempts} failed, retried)
  deliveries succeeded       ${report.succeeded}
  events never delivered     ${report.lost}
  duplicates at the receiver ${report.duplicates} (at least once: a retry after a lost answer)
  unverified signatures      ${report.unverified}`);
  return report.lost === 0 && report.unverified === 0 && report.succeeded === report.deliveries;
}
