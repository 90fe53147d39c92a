import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { SubmitIntentRequest } from "../../lib/defix/intents";
import { vaultAccountMode } from "../../lib/deployment/manifest";
import { createIntentService } from "../../oms/core/intent-service";
import type { SessionKeyProvider } from "../../oms/domain/session-key-provider";
import type { Dialect } from "../../oms/store/db";
import { argValue } from "./lib/args";
import { cpuWindow } from "./lib/cpu";
import { createBenchDatabase } from "./lib/database";
import { createInstantChain } from "./lib/fake-chain";
import { depositRequest } from "./lib/intents";
import { record, section } from "./lib/report";
import type { World } from "./lib/world";

const TARGET_TRANSITIONS = 1_000;
/** RECEIVED→ACKED→STAGED→PLANNED→EXECUTING→COMPLETED */
const TRANSITIONS_PER_INTENT = 5;

/**
 * The engine in this process with the chain replaced by an instant fake: `intents` intents, spread
 * round-robin over the deployment's vaults (each vault has its own session key, so its own nonce
 * sequence, as in production), are submitted with workers stopped; then two workers drive them all to
 * COMPLETED. Transitions/s is state changes over the wall time until the last one is terminal. The
 * CPU figures say what limits it: this process's CPU time and the whole machine's busy share over the
 * same window (the database server runs on the same cores). `--cpu-prof DIR` writes a V8 profile of
 * exactly that window (read it with `npx tsx scripts/bench/profile-summary.ts FILE`).
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
      const signers = new Map(
        world.manifest.vaults.map((v) => [v.vault_id, privateKeyToAccount(generatePrivateKey())]),
      );
      const signerOf = (vaultId: string) => {
        const signer = signers.get(vaultId);
        if (signer === undefined) throw new Error(`no bench signer for ${vaultId}`);
        return signer;
      };
      const keys: SessionKeyProvider = {
        readiness: async (vaultId) => ({
          vault_id: vaultId,
          is_ready: true,
          session_key_address: signerOf(vaultId).address.toLowerCase() as `0x${string}`,
          expires_at: null,
          pending_rotation: false,
          reason: null,
          pending_session_key_address: null,
          checked_at: new Date().toISOString(),
        }),
        signerFor: async (vaultId) => signerOf(vaultId),
        executionMined: () => undefined,
      };
      const service = createIntentService({
        db: handle.db,
        chain,
        manifest: world.manifest,
        keys,
        engine: { receiptPollMs: 1 },
      });
      // The smart-account-mode vaults are not driven by this bench (their paths are issue 14).
      const vaults = world.manifest.vaults.filter((vault) => vaultAccountMode(vault) === "OMS");
      const actor = { subject: "svc:bench", kind: "service" as const };
      for (let i = 0; i < options.intents; i++) {
        const vault = vaults[i % vaults.length];
        if (vault === undefined) throw new Error("the deployment has no vault");
        await service.submit(SubmitIntentRequest.parse(depositRequest(vault, i)), actor);
      }
      const profiler = await startProfiler(dialect);
      const cpuBefore = process.cpuUsage();
      const window = cpuWindow();
      const statementsBefore = handle.statementsSent();
      let polls = 0;
      const started = performance.now();
      const workers = service.startWorkers({ count: 2 });
      const deadline = Date.now() + 300_000;
      let active = options.intents;
      while (active > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        polls++;
        const row = await handle.db
          .selectFrom("intents")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("active", "=", 1)
          .executeTakeFirstOrThrow();
        active = Number(row.n);
      }
      const seconds = (performance.now() - started) / 1000;
      const statementsAfter = handle.statementsSent();
      const cpu = process.cpuUsage(cpuBefore);
      const { postgresMs, machineBusyPercent } = window.stop();
      await profiler?.stop();
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
        note: `${completed}/${options.intents} COMPLETED over ${vaults.length} vaults in ${seconds.toFixed(1)} s (${(completed / seconds).toFixed(0)} intents/s), ${chain.sent()} txs; states ${JSON.stringify(Object.fromEntries(states.map((s) => [s.state, Number(s.n)])))}`,
      });
      const engineCpuMs = (cpu.user + cpu.system) / 1000;
      record({
        name: `engine CPU per intent (${dialect})`,
        value: engineCpuMs / Math.max(1, completed),
        unit: "ms",
        note: `this process ${((engineCpuMs / 1000 / seconds) * 100).toFixed(0)} % of one core; machine ${machineBusyPercent.toFixed(0)} % busy over ${availableParallelism()} cores (database server included)${dialect === "postgres" ? `; PostgreSQL ${(postgresMs / Math.max(1, completed)).toFixed(2)} ms per intent, ${((postgresMs / 1000 / seconds) * 100).toFixed(0)} % of one core` : ""}`,
      });
      if (statementsBefore !== null && statementsAfter !== null) {
        // The bench's own polls (one count each) are not the engine's.
        const statements = statementsAfter - statementsBefore - polls;
        record({
          name: `engine statements per intent (${dialect})`,
          value: statements / Math.max(1, completed),
          unit: "statements",
          note: `${statements} statements sent to the database while driving ${completed} intents, BEGIN and COMMIT included (the bench's ${polls} polls left out; the submits before the window not counted)`,
        });
      }
    } finally {
      await database.drop();
    }
  }
}

/** `--cpu-prof DIR`: a V8 CPU profile of this process for the measured window only. */
async function startProfiler(label: string): Promise<{ stop(): Promise<void> } | undefined> {
  const dir = argValue("cpu-prof");
  if (dir === undefined) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      const file = path.resolve(
        dir === "true" ? ".data/bench/profiles" : dir,
        `engine-${label}-${Date.now()}.cpuprofile`,
      );
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`  CPU profile of the engine window: ${file}`);
    },
  };
}
