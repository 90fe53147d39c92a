import { percentile, record, round, section } from "./lib/report";
import { startWebhookWorld } from "./lib/webhook-world";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Commit → webhook: intents submitted one at a time (an OMS process on SQLite, one engine worker, a
 * subscribed local receiver answering 200); for every event, the receiver's arrival time minus the
 * event's `created_at` (stamped in the committing transaction; one machine, one clock).
 */
export async function benchWebhooks(options: { intents: number }): Promise<void> {
  section(`webhooks: commit → signed delivery at a local receiver, ${options.intents} intents, SQLite`);
  const ww = await startWebhookWorld({});
  try {
    const ids: string[] = [];
    for (let seq = 1; seq <= options.intents; seq += 1) {
      const id = await ww.submit(seq);
      if (id) ids.push(id);
      await sleep(200);
    }
    await sleep(3_000);
    const arrivals = new Map<string, number>();
    for (const item of ww.receiver.received) {
      const eventId = (item.body as { data?: { event?: { event_id?: string } } }).data?.event?.event_id;
      if (eventId && item.status < 300 && !arrivals.has(eventId)) arrivals.set(eventId, item.received_ms);
    }
    const latencies: number[] = [];
    let missing = 0;
    for (const id of ids) {
      for (const event of await ww.events(id)) {
        const at = arrivals.get(event.event_id);
        if (at === undefined) missing += 1;
        else latencies.push(at - Date.parse(event.created_at));
      }
    }
    const note = `${latencies.length} events; p99 ${round(percentile(latencies, 99))} ms, max ${round(Math.max(...latencies))} ms; ${missing} not delivered within 3 s of the last submit; dispatcher woken by the event bus, 1 s tick as fallback`;
    record({ name: "webhooks: commit → delivery p50", value: percentile(latencies, 50), unit: "ms", note });
    record({ name: "webhooks: commit → delivery p99", value: percentile(latencies, 99), unit: "ms" });
  } finally {
    await ww.stop();
  }
}
