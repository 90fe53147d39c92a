import type { Logger } from "../../oms/kernel/logger";
import { type NatsRelay, startNatsRelay } from "../../oms/notify/relay/relay";
import { createNatsServer } from "../../oms/notify/relay/test-support/nats-server";
import { readStream } from "../../oms/notify/relay/test-support/read-stream";
import type { Dialect } from "../../oms/store/db";
import { insertIntent } from "../../oms/store/intent-batch";
import { headPosition } from "../../oms/store/positions";
import { createTestDatabase } from "../../oms/store/test-support/databases";
import { receivedPayload } from "../../oms/store/test-support/fixtures";

/**
 * The NATS relay under faults (`npm run reliability -- broker`): events are committed continuously
 * while the broker (an own nats-server with a temp store, on a free port) is stopped and started again,
 * and the relay holding the lease is closed mid-stream so a second one takes over at the cursor. At the
 * end the stream must hold every committed event exactly once (after the server's msgID de-duplication),
 * in position order.
 */
export interface BrokerReport {
  dialect: Dialect;
  committed: number;
  /** Publish calls that were acked (a replay after a handover counts again; the server drops the copy). */
  publishCalls: number;
  received: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  natsRestarts: number;
  handovers: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function brokerRun(options: {
  dialect: Dialect;
  events?: number;
  /** The own nats-server's port (0 or unset: a free one). */
  natsPort?: number;
  log?: (line: string) => void;
}): Promise<BrokerReport> {
  const started = performance.now();
  const say = options.log ?? (() => undefined);
  const total = options.events ?? 600;
  const nats = await createNatsServer(options.natsPort || undefined);
  await nats.start();
  const testDb = await createTestDatabase(options.dialect);
  const handle = await testDb.open();
  const quiet: Logger = {
    warn: (message) => say(`  relay: ${message}`),
    error: (message) => say(`  relay: ${message}`),
  };
  const relay = (owner: string) =>
    startNatsRelay({
      db: handle.db,
      natsUrl: nats.url,
      stream: { name: "RELIABILITY", subjectPrefix: "reliability.events", maxAgeHours: 1, duplicateWindowMinutes: 10 },
      chainId: 31337,
      vaultAddress: (vaultId) => vaultId.split(":")[1],
      owner,
      log: quiet,
      leaseMs: 3_000,
      tickMs: 200,
      publishTimeoutMs: 1_000,
    });
  const relays: NatsRelay[] = [await relay("relay-a")];
  let publishCallsOfClosed = 0;
  try {
    say(`broker: committing ${total} events on ${options.dialect}, NATS at ${nats.url}`);
    for (let i = 1; i <= total; i++) {
      const hash = `0x${i.toString(16).padStart(64, "0")}` as `0x${string}`;
      await insertIntent(handle.db, receivedPayload({ config_hash: hash }), new Date());
      relays.at(-1)?.wake();
      if (i === Math.floor(total / 3)) {
        say("broker: stopping NATS for 2 s while commits go on");
        await nats.stop();
        setTimeout(() => {
          nats.start().then(
            () => say("broker: NATS is back"),
            (error: unknown) => say(`broker: NATS did not restart: ${String(error)}`),
          );
        }, 2_000);
      }
      if (i === Math.floor((2 * total) / 3)) {
        say("broker: closing the relay that holds the lease; another takes over at the cursor");
        const first = relays[0];
        publishCallsOfClosed += first?.status().published ?? 0;
        await first?.close();
        relays.push(await relay("relay-b"));
      }
      await sleep(5);
    }
    const head = await headPosition(handle.db);
    const last = relays.at(-1);
    for (let i = 0; i < 600 && (last?.status().position ?? 0) < head; i++) await sleep(100);
    const stored = await readStream(nats.url, "RELIABILITY");
    const ids = new Set(stored.map((message) => message.eventId));
    let outOfOrder = 0;
    for (let i = 1; i < stored.length; i++) {
      if ((stored[i]?.position ?? 0) <= (stored[i - 1]?.position ?? 0)) outOfOrder += 1;
    }
    const positions = new Set(stored.map((message) => message.position));
    let missing = 0;
    for (let p = 1; p <= head; p++) if (!positions.has(p)) missing += 1;
    return {
      dialect: options.dialect,
      committed: head,
      publishCalls: publishCallsOfClosed + (last?.status().published ?? 0),
      received: stored.length,
      missing,
      duplicates: stored.length - ids.size,
      outOfOrder,
      natsRestarts: 1,
      handovers: 1,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const each of relays) await each.close();
    await testDb.destroy();
    await nats.destroy();
  }
}

export function printBrokerReport(report: BrokerReport): boolean {
  const clean = report.missing === 0 && report.duplicates === 0 && report.outOfOrder === 0;
  console.log(
    `\n== broker (NATS JetStream relay, ${report.dialect}): ${clean ? "PASS" : "FAIL"} in ${Math.round(report.seconds)} s`,
  );
  console.log(
    `  tried: ${report.committed} events committed, ${report.natsRestarts} NATS restart, ${report.handovers} relay handover`,
  );
  console.log(
    `  events published: ${report.committed} committed, ${report.publishCalls} publish calls acked (replays included)`,
  );
  console.log(`  events received in the stream: ${report.received}`);
  console.log(
    `  missing: ${report.missing}, duplicates after de-dup: ${report.duplicates}, out of order: ${report.outOfOrder}`,
  );
  return clean;
}
