import pg from "pg";
import { type StreamClient, startStreamClient } from "../reliability/lib/stream-client";
import { createBenchDatabase } from "./lib/database";
import { depositRequest } from "./lib/intents";
import { startOms } from "./lib/oms";
import { percentile, record, round, section } from "./lib/report";
import type { World } from "./lib/world";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WAIT_MS = 10_000;

/**
 * `bench -- stream-latency`: time from an event's commit to its arrival at a `/defix/stream` client, on
 * PostgreSQL with two OMS processes. Intents are submitted to process A one at a time (paced, engine off,
 * so each is one INTENT_RECEIVED event); one client streams from A (the same process: the in-process bus)
 * and one from B (another process: woken by LISTEN/NOTIFY, then a read by position). The commit time is
 * the event's own `created_at`, stamped in the OMS just before its INSERT (same machine clock, 1 ms
 * resolution, so it includes the insert itself); the paired difference of the two arrivals is exact.
 * Baseline in the same run: a bare `pg_notify` from one
 * connection to a LISTENing one, the least any cross-process wake-up through PostgreSQL can cost.
 */
export async function benchStreamLatency(world: World, options: { samples: number }): Promise<void> {
  section(`stream latency: commit → /defix/stream client, PostgreSQL, 2 OMS processes, ${options.samples} events`);
  const vault = world.manifest.vaults[0];
  if (!vault) throw new Error("no vault deployed");
  const database = await createBenchDatabase("postgres", world.dataDir, "stream_latency");
  const databaseUrl = database.databaseUrl ?? "";
  // No in-flight bound: the submit is then one INSERT statement after `created_at` is stamped.
  const env = { OMS_MAX_IN_FLIGHT_PER_VAULT: "0" };
  const [a, b] = [
    await startOms(world, { databaseUrl, workers: 0, name: "oms-a", env }),
    await startOms(world, { databaseUrl, workers: 0, name: "oms-b", env }),
  ];
  const clients: StreamClient[] = [];
  try {
    const baseline = await notifyBaseline(databaseUrl, options.samples);
    const token = await world.token(vault.primary_manager);
    clients.push(
      startStreamClient({ name: "same process", url: a.url, token, after: 0 }),
      startStreamClient({ name: "across processes", url: b.url, token, after: 0 }),
    );
    while (clients.some((client) => client.connections() === 0)) await sleep(20);
    for (let seq = 0; seq < options.samples; seq++) {
      const response = await fetch(`${a.url}/defix/intents`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(depositRequest(vault, seq)),
      });
      if (response.status !== 201) throw new Error(`submit answered ${response.status}: ${await response.text()}`);
      const deadline = Date.now() + WAIT_MS;
      while (clients.some((client) => client.received.length <= seq) && Date.now() < deadline) await sleep(1);
      // Paced, so each figure is one event's path, not a queue behind a burst.
      await sleep(20);
    }
    record({
      name: "baseline: bare pg_notify → LISTEN, p50 / p99",
      value: percentile(baseline, 50),
      unit: "ms",
      note: `p99 ${round(percentile(baseline, 99), 2)} ms`,
    });
    // Paired per event, the commit time cancels out: what crossing processes adds (NOTIFY, a read by position).
    const [same, across] = clients.map((client) => new Map(client.received.map((e) => [e.event_id, e.arrivedAt])));
    const extra = [...(same ?? new Map<string, number>())].flatMap(([id, at]) => {
      const there = across?.get(id);
      return there === undefined ? [] : [there - at];
    });
    record({
      name: "extra for another process (arrival at B − arrival at A, per event), p50 / p99",
      value: percentile(extra, 50),
      unit: "ms",
      note: `p99 ${round(percentile(extra, 99), 2)} ms`,
    });
    for (const client of clients) {
      const latencies = client.received.map((event) => event.arrivedAt - Date.parse(event.created_at));
      const missing = options.samples - client.received.length;
      const p50 = percentile(latencies, 50);
      record({
        name: `commit → stream client, ${client.name}, p50 / p99`,
        value: p50,
        unit: "ms",
        ratio: p50 / Math.max(percentile(baseline, 50), 0.01),
        note: `p99 ${round(percentile(latencies, 99), 2)} ms, max ${Math.max(...latencies)} ms${missing > 0 ? `, ${missing} NOT RECEIVED` : ""}`,
      });
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all([a.stop(), b.stop()]);
    await database.drop();
  }
}

/** Round trips of `select pg_notify(…)` on one connection until a second, LISTENing one hears it. */
async function notifyBaseline(databaseUrl: string, samples: number): Promise<number[]> {
  const [sender, listener] = [new pg.Client(databaseUrl), new pg.Client(databaseUrl)];
  await Promise.all([sender.connect(), listener.connect()]);
  try {
    await listener.query("LISTEN bench_baseline");
    const waiters = new Map<string, (at: number) => void>();
    listener.on("notification", (message) => waiters.get(message.payload ?? "")?.(performance.now()));
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const heardAt = new Promise<number>((resolve) => waiters.set(String(i), resolve));
      const sentAt = performance.now();
      await sender.query("select pg_notify('bench_baseline', $1)", [String(i)]);
      latencies.push((await heardAt) - sentAt);
      waiters.delete(String(i));
      await sleep(20);
    }
    return latencies;
  } finally {
    await Promise.all([sender.end(), listener.end()]);
  }
}
