import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { SubmitIntentRequest } from "../../lib/defix/intents";
import { createIntentService } from "../../oms/core/intent-service";
import type { SessionKeyProvider } from "../../oms/keys/provider";
import type { Dialect } from "../../oms/store/db";
import { createBenchDatabase } from "./lib/database";
import { createInstantChain } from "./lib/fake-chain";
import { depositRequest } from "./lib/intents";
import { record, section } from "./lib/report";
import type { World } from "./lib/world";

const TARGET_TRANSITIONS = 1_000;
/** RECEIVED→ACKED→STAGED→PLANNED→EXECUTING→COMPLETED */
const TRANSITIONS_PER_INTENT = 5;

/**
 * The engine in this process with the chain replaced by an instant fake: `intents` intents are
 * submitted with workers stopped, then two workers drive them all to COMPLETED; transitions/s is
 * state changes over the wall time until the last one is terminal.
 */
export async function benchEngine(
  world: World,
  options: { intents: number; dialects: readonly Dialect[] },
): Promise<void> {
  section(`engine: ${options.intents} intents, 2 workers, instant in-process chain`);
  for (const dialect of options.dialects) {
    const database = await createBenchDatabase(dialect, world.dataDir, "bench_engine");
    try {
      const handle = await database.open();
      const chain = createInstantChain(world.manifest);
      const signer = privateKeyToAccount(generatePrivateKey());
      const keys: SessionKeyProvider = {
        readiness: async (vaultId) => ({
          vault_id: vaultId,
          is_ready: true,
          session_key_address: signer.address.toLowerCase() as `0x${string}`,
          expires_at: null,
          pending_rotation: false,
          reason: null,
          pending_session_key_address: null,
          checked_at: new Date().toISOString(),
        }),
        signerFor: async () => signer,
      };
      const service = createIntentService({
        db: handle.db,
        chain,
        manifest: world.manifest,
        keys,
        engine: { receiptPollMs: 1 },
      });
      const vault = world.manifest.vaults[0];
      if (!vault) throw new Error("no vault");
      const actor = { subject: "svc:bench", kind: "service" as const };
      for (let i = 0; i < options.intents; i++) {
        await service.submit(SubmitIntentRequest.parse(depositRequest(vault, i)), actor);
      }
      const started = performance.now();
      const workers = service.startWorkers({ count: 2, pollIntervalMs: 5 });
      const deadline = Date.now() + 300_000;
      let active = options.intents;
      while (active > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const row = await handle.db
          .selectFrom("intents")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("active", "=", 1)
          .executeTakeFirstOrThrow();
        active = Number(row.n);
      }
      const seconds = (performance.now() - started) / 1000;
      await workers.stop();
      await service.close();
      const states = await handle.db
        .selectFrom("intents")
        .select(["state"])
        .select((eb) => eb.fn.countAll().as("n"))
        .groupBy("state")
        .execute();
      const completed = Number(states.find((s) => s.state === "COMPLETED")?.n ?? 0);
      const rate = (completed * TRANSITIONS_PER_INTENT) / seconds;
      record({
        name: `engine transitions (${dialect}, 2 workers)`,
        value: rate,
        unit: "transitions/s",
        target: dialect === "postgres" ? `≥ ${TARGET_TRANSITIONS}/s` : undefined,
        met: dialect === "postgres" ? rate >= TARGET_TRANSITIONS && active === 0 : undefined,
        note: `${completed}/${options.intents} COMPLETED in ${seconds.toFixed(1)} s (${(completed / seconds).toFixed(0)} intents/s), ${chain.sent()} txs; states ${JSON.stringify(Object.fromEntries(states.map((s) => [s.state, Number(s.n)])))}`,
      });
    } finally {
      await database.drop();
    }
  }
}
