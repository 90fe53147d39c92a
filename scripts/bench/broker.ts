import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { startNatsRelay } from "../../oms/notify/relay/relay";
import { createNatsServer } from "../../oms/notify/relay/test-support/nats-server";
import type { Dialect } from "../../oms/store/db";
import { insertIntent } from "../../oms/store/intent-batch";
import { createTestDatabase } from "../../oms/store/test-support/databases";
import { receivedPayload } from "../../oms/store/test-support/fixtures";
import { record, section } from "./lib/report";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Commit → NATS latency: one event committed at a time (an intent's INTENT_RECEIVED, through the store),
 * the relay woken as the event bus would, and an ordered JetStream consumer timing its arrival. Own
 * nats-server (temp store, free port or --nats-port), fresh database per dialect.
 */
export async function benchBroker(options: { events: number; dialects: readonly Dialect[]; natsPort?: number }) {
  section("broker: commit → NATS JetStream (relay, ordered consumer)");
  const nats = await createNatsServer(options.natsPort || undefined);
  await nats.start();
  try {
    for (const dialect of options.dialects) {
      const testDb = await createTestDatabase(dialect);
      const handle = await testDb.open();
      const stream = `BENCH_${dialect.toUpperCase()}`;
      const relay = await startNatsRelay({
        db: handle.db,
        natsUrl: nats.url,
        stream: { name: stream, subjectPrefix: `bench.${dialect}`, maxAgeHours: 1, duplicateWindowMinutes: 2 },
        chainId: 31337,
        vaultAddress: (vaultId) => vaultId.split(":")[1],
        owner: "bench",
        name: `nats-${dialect}`,
        log: { warn: (m) => console.log(`  relay: ${m}`), error: (m) => console.log(`  relay: ${m}`) },
        tickMs: 1_000,
      });
      const nc = await connect({ servers: nats.url });
      try {
        // The stream exists once the relay published its first event.
        await insertIntent(handle.db, receivedPayload({ config_hash: `0x${"ff".repeat(32)}` }), new Date());
        relay.wake();
        for (let i = 0; i < 100 && (relay.status().position ?? 0) < 1; i++) await sleep(50);
        const consumer = await jetstream(nc).consumers.get(stream, { opt_start_seq: 2 });
        const messages = await consumer.consume();
        const arrivals = new Map<string, number>();
        const reading = (async () => {
          for await (const message of messages) {
            arrivals.set(message.json<{ event_id: string }>().event_id, performance.now());
          }
        })();
        const latencies: number[] = [];
        for (let i = 1; i <= options.events; i++) {
          const hash = `0x${i.toString(16).padStart(64, "0")}` as `0x${string}`;
          const committedAt = performance.now();
          const created = await insertIntent(handle.db, receivedPayload({ config_hash: hash }), new Date());
          const eventId = created?.events[0]?.event_id;
          relay.wake();
          if (eventId === undefined) continue;
          for (let tries = 0; tries < 2_000 && !arrivals.has(eventId); tries++) await sleep(1);
          const at = arrivals.get(eventId);
          if (at !== undefined) latencies.push(at - committedAt);
        }
        messages.stop();
        await reading;
        record({ name: `broker: commit → NATS p50 (${dialect})`, value: percentile(latencies, 50), unit: "ms" });
        record({ name: `broker: commit → NATS p99 (${dialect})`, value: percentile(latencies, 99), unit: "ms" });
        record({
          name: `broker: events timed (${dialect})`,
          value: latencies.length,
          unit: "events",
          note: `of ${options.events}`,
        });
      } finally {
        await nc.close();
        await relay.close();
        await testDb.destroy();
      }
    }
  } finally {
    await nats.destroy();
  }
}
