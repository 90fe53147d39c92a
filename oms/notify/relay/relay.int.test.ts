import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../../kernel/logger";
import type { Db } from "../../store/db";
import { insertIntent } from "../../store/intent-batch";
import { createTestDatabase, type TestDatabase } from "../../store/test-support/databases";
import { receivedPayload } from "../../store/test-support/fixtures";
import { type NatsRelay, startNatsRelay } from "./relay";
import { createNatsServer, type NatsServer } from "./test-support/nats-server";
import { readStream } from "./test-support/read-stream";

const warnings: string[] = [];
const log: Logger = {
  warn: (message) => warnings.push(message),
  error: (message) => warnings.push(message),
};

describe("NATS relay against a real nats-server", () => {
  let nats: NatsServer;
  let testDb: TestDatabase;
  let handle: Db;
  let appended = 0;

  async function append(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      appended += 1;
      const hash = `0x${appended.toString(16).padStart(64, "0")}` as `0x${string}`;
      await insertIntent(handle.db, receivedPayload({ config_hash: hash }), new Date());
    }
  }

  function relay(owner: string, stream: string): Promise<NatsRelay> {
    return startNatsRelay({
      db: handle.db,
      natsUrl: nats.url,
      stream: { name: stream, subjectPrefix: `t.${stream}`, maxAgeHours: 1, duplicateWindowMinutes: 10 },
      chainId: 31337,
      vaultAddress: (vaultId) => vaultId.split(":")[1],
      owner,
      name: `nats-${stream}`,
      log,
      leaseMs: 3_000,
      tickMs: 100,
      pageSize: 7,
      publishTimeoutMs: 1_000,
    });
  }

  async function waitForStream(stream: string, count: number) {
    for (let i = 0; i < 300; i++) {
      const stored = await readStream(nats.url, stream).catch(() => []);
      if (stored.length >= count) return stored;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`stream ${stream} never held ${count} messages`);
  }

  function expectEveryEventOnceInOrder(stored: { eventId: string; position: number }[], from: number, to: number) {
    expect(stored.map((m) => m.position)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
    expect(new Set(stored.map((m) => m.eventId)).size).toBe(stored.length);
  }

  beforeAll(async () => {
    nats = await createNatsServer(process.env.NATS_TEST_PORT ? Number(process.env.NATS_TEST_PORT) : undefined);
    await nats.start();
    testDb = await createTestDatabase("sqlite");
    handle = await testDb.open();
  });
  afterAll(async () => {
    await testDb?.destroy();
    await nats?.destroy();
  });

  it("publishes every event in position order on per-chain/vault/type subjects, resuming after a handover", async () => {
    await append(10);
    const first = await relay("a", "S1");
    await waitForStream("S1", 10);
    // The holder stops mid-stream (a deploy); another process takes the lease and resumes at the cursor.
    await first.close();
    await append(10);
    const second = await relay("b", "S1");
    second.wake();
    const stored = await waitForStream("S1", 20);
    expectEveryEventOnceInOrder(stored, 1, 20);
    expect(stored[0]?.subject).toBe("t.S1.31337.0x00000000000000000000000000000000000000aa.INTENT_RECEIVED");
    expect(second.status()).toMatchObject({ holding: true, position: 20, connected: true });
    await second.close();
  });

  it("loses nothing and duplicates nothing across a NATS restart and a crashed relay's replay", async () => {
    const head = appended;
    const relayA = await relay("a", "S2");
    await append(5);
    relayA.wake();
    await waitForStream("S2", head + 5);
    await nats.stop();
    await append(8); // committed while the broker is down
    relayA.wake();
    await nats.start();
    await append(4);
    relayA.wake();
    await waitForStream("S2", head + 17);
    // A crashed relay republishes from an older cursor: the stream's duplicate window drops the copies.
    const crashed = await startNatsRelay({
      db: handle.db,
      natsUrl: nats.url,
      stream: { name: "S2", subjectPrefix: "t.S2", maxAgeHours: 1, duplicateWindowMinutes: 10 },
      chainId: 31337,
      vaultAddress: () => undefined,
      owner: "replayer",
      name: "nats-replay",
      log,
      tickMs: 100,
    });
    for (let i = 0; i < 100 && (crashed.status().position ?? 0) < head + 17; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(crashed.status().position).toBe(head + 17);
    const stored = await readStream(nats.url, "S2");
    expectEveryEventOnceInOrder(stored, 1, head + 17);
    expect(warnings).toContain("NATS disconnected; the relay resumes from its cursor when it is back");
    await crashed.close();
    await relayA.close();
  });
});
