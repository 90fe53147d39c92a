import type { LocalAccount } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chainLink, eventDigest, GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { ManifestVault } from "../../lib/deployment/manifest";
import type { ChainGateway } from "../chain/gateway";
import type { Actor } from "../core/intent-service";
import { submission } from "../domain/test-support/intents";
import { listSignerNonces } from "../store/attempts-repo";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../store/test-support/databases";
import { type Harness, messageTypes, startHarness, TERMINAL, waitFor, waitForState } from "./test-support/harness";
import {
  grantSessionKey,
  memoryKeyProvider,
  setAutomine,
  setIntervalMining,
  startTestWorld,
  type TestWorld,
} from "./test-support/world";

const actor: Actor = { subject: "svc:test", kind: "service" };

let world: TestWorld;
beforeAll(async () => {
  world = await startTestWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe.each(DIALECTS)("transaction execution on %s", (dialect) => {
  let testDb: TestDatabase;
  let vault: ManifestVault;
  let key: LocalAccount;
  let keys: ReturnType<typeof memoryKeyProvider>;
  const running: Harness[] = [];
  let batch = 0;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    vault = world.manifest.vaults[0] as ManifestVault;
    key = await grantSessionKey(world, vault);
    keys = memoryKeyProvider(world);
    keys.set(vault.vault_id, key);
  });
  afterAll(async () => {
    for (const h of running) await h.stop();
    await testDb?.destroy();
  });

  async function harness(chain?: ChainGateway, engine = {}) {
    const h = await startHarness(chain === undefined ? world : { ...world, chain }, testDb, { keys, engine });
    running.push(h);
    return h;
  }

  async function submitMany(h: Harness, count: number) {
    batch++;
    const inputs = Array.from({ length: count }, (_, i) =>
      submission(world.manifest, vault, {
        action: "DEPOSIT",
        sizeExpr: String(1000 + i),
        strategyId: `b${batch}-${i}`,
      }),
    );
    return Promise.all(inputs.map(async (input) => (await h.service.submit(input, actor)).intent.id));
  }

  async function expectGaplessAndOneMinedTxEach(h: Harness, ids: readonly string[]) {
    for (const id of ids) {
      const attempts = await h.service.attempts(id);
      expect(attempts.filter((a) => a.status === "MINED")).toHaveLength(1);
    }
    const nonces = await listSignerNonces(h.db.db, world.manifest.chain_id, key.address);
    expect(nonces).toEqual(nonces.map((_, i) => i));
    const onChain = await world.client.getTransactionCount({ address: key.address, blockTag: "latest" });
    expect(onChain).toBe(nonces.length);
  }

  /** 15 intents on one signer driven by 3 workers: every one COMPLETED, one mined tx each, nonces gapless. */
  async function fifteenConcurrent(): Promise<void> {
    const h = await harness();
    h.startWorkers(3);
    const ids = await submitMany(h, 15);
    const done = await Promise.all(ids.map((id) => waitForState(h.service, id, TERMINAL, 60_000)));
    expect(done.map((i) => i.state)).toEqual(ids.map(() => "COMPLETED"));
    await expectGaplessAndOneMinedTxEach(h, ids);
    // Signed in turns of the signer's lane (several intents' appends in one statement on PostgreSQL): every
    // intent's audit chain still links event to event, and no position is used twice.
    const positions: number[] = [];
    for (const id of ids) {
      let previous = GENESIS_HASH;
      for (const event of await h.service.events(id, 0, 100)) {
        expect(event.hash).toBe(chainLink(previous, eventDigest(event), event.position ?? 0));
        previous = event.hash ?? "";
        positions.push(event.position ?? 0);
      }
    }
    expect(new Set(positions).size).toBe(positions.length);
    await h.stop();
  }

  it("15 concurrent intents on one signer (automine): all mined, nonces gapless", fifteenConcurrent);

  it("15 concurrent intents with interval mining: all mined, nonces gapless", async () => {
    await setIntervalMining(world, 1);
    try {
      await fifteenConcurrent();
    } finally {
      await setAutomine(world);
    }
  });

  // Several OMS processes share PostgreSQL; the embedded SQLite default serves one process (two
  // connections in one Node thread would block each other synchronously on the file lock).
  it.runIf(dialect === "postgres")(
    "two OMS processes on one database: each intent driven once, nonces gapless",
    async () => {
      const first = await harness();
      const second = await harness();
      first.startWorkers(2);
      second.startWorkers(2);
      const ids = await submitMany(first, 8);
      const done = await Promise.all(ids.map((id) => waitForState(second.service, id, TERMINAL, 60_000)));
      expect(done.map((i) => i.state)).toEqual(ids.map(() => "COMPLETED"));
      for (const id of ids) {
        const events = messageTypes(await first.service.events(id, 0, 100));
        expect(events.filter((t) => t === "TX_SIGNED")).toHaveLength(1);
      }
      await expectGaplessAndOneMinedTxEach(first, ids);
      await first.stop();
      await second.stop();
    },
  );

  it("restart mid-flight: transactions in the pool are tracked by the new process, no second signature", async () => {
    await world.rpc("evm_setAutomine", [false]);
    const before = await harness();
    before.startWorkers(2);
    const ids = await submitMany(before, 3);
    const executing = await Promise.all(ids.map((id) => waitForState(before.service, id, ["EXECUTING"])));
    await before.stop();
    const after = await harness();
    after.startWorkers(2);
    await setAutomine(world);
    await world.rpc("evm_mine");
    const done = await Promise.all(ids.map((id) => waitForState(after.service, id, TERMINAL)));
    expect(done.map((i) => i.state)).toEqual(ids.map(() => "COMPLETED"));
    expect(done.map((i) => i.tx_hash)).toEqual(executing.map((i) => i.tx_hash));
    for (const id of ids) expect(await after.service.attempts(id)).toHaveLength(1);
    await expectGaplessAndOneMinedTxEach(after, ids);
    await after.stop();
  });

  it("restart after signing but before the broadcast: the same bytes are sent, nothing re-signed", async () => {
    let isCrashing = true;
    const crashingChain: ChainGateway = {
      ...world.chain,
      sendRaw: async (raw) => {
        if (isCrashing) throw new Error("simulated process death before the broadcast");
        return world.chain.sendRaw(raw);
      },
    };
    const before = await harness(crashingChain);
    before.startWorkers(1);
    const [id] = await submitMany(before, 1);
    if (id === undefined) throw new Error("no intent");
    const signed = await waitForState(before.service, id, ["EXECUTING"]);
    await before.stop();
    isCrashing = false;
    expect(await before.service.attempts(id)).toMatchObject([{ status: "SIGNED" }]);
    const after = await harness();
    after.startWorkers(1);
    const done = await waitForState(after.service, id, TERMINAL);
    expect(done).toMatchObject({ state: "COMPLETED", tx_hash: signed.tx_hash });
    expect(await after.service.attempts(id)).toHaveLength(1);
    const types = messageTypes(await after.service.events(id, 0, 100));
    expect(types.filter((t) => t === "TX_SIGNED")).toHaveLength(1);
    await expectGaplessAndOneMinedTxEach(after, [id]);
    await after.stop();
  });

  it("a transaction left unmined is replaced with the same nonce and ≥12.5% higher fees", async () => {
    await world.rpc("evm_setAutomine", [false]);
    try {
      const h = await harness(undefined, { replaceAfterMs: 500, replaceAfterBlocks: 1_000 });
      h.startWorkers(1);
      const [id] = await submitMany(h, 1);
      if (id === undefined) throw new Error("no intent");
      await waitFor(async () => (await h.service.attempts(id)).length >= 2, "a replacement");
      await setAutomine(world);
      await world.rpc("evm_mine");
      const done = await waitForState(h.service, id, TERMINAL);
      expect(done.state).toBe("COMPLETED");
      const attempts = await h.service.attempts(id);
      expect(new Set(attempts.map((a) => a.nonce)).size).toBe(1);
      const [original, replacement] = attempts;
      expect(BigInt(replacement?.max_fee_per_gas ?? 0) * 1000n).toBeGreaterThanOrEqual(
        BigInt(original?.max_fee_per_gas ?? 0) * 1125n,
      );
      expect(attempts.filter((a) => a.status === "MINED")).toHaveLength(1);
      expect(attempts.at(-1)?.tx_hash).toBe(done.tx_hash);
      const events = messageTypes(await h.service.events(id, 0, 100));
      expect(events).toContain("TX_REPLACED");
      await expectGaplessAndOneMinedTxEach(h, [id]);
      await h.stop();
    } finally {
      await setAutomine(world);
    }
  });

  it("a nonce taken by a transaction the OMS did not sign fails that intent and the next one still executes", async () => {
    await world.rpc("evm_setAutomine", [false]);
    const h = await harness();
    try {
      h.startWorkers(1);
      const [id] = await submitMany(h, 1);
      if (id === undefined) throw new Error("no intent");
      const executing = await waitForState(h.service, id, ["EXECUTING"]);
      const [attempt] = await h.service.attempts(id);
      await world.rpc("anvil_dropTransaction", [executing.tx_hash]);
      // Priced as a valid replacement: the OMS may already have resent its dropped transaction.
      const market = await world.chain.fees();
      const fees = { maxFeePerGas: market.maxFeePerGas * 4n, maxPriorityFeePerGas: market.maxPriorityFeePerGas * 4n };
      const foreign = await key.signTransaction({
        type: "eip1559",
        chainId: world.manifest.chain_id,
        to: key.address,
        value: 0n,
        gas: 21_000n,
        nonce: attempt?.nonce ?? 0,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
      await world.client.sendRawTransaction({ serializedTransaction: foreign });
      await world.rpc("evm_mine");
      const failed = await waitForState(h.service, id, TERMINAL);
      expect(failed).toMatchObject({ state: "FAILED", error: { code: "EXECUTION_REVERTED" } });
      expect(failed.error?.message).toMatch(/did not sign/);
      await setAutomine(world);
      const [next] = await submitMany(h, 1);
      if (next === undefined) throw new Error("no intent");
      expect((await waitForState(h.service, next, TERMINAL)).state).toBe("COMPLETED");
    } finally {
      await setAutomine(world);
      await h.stop();
    }
  });
});
