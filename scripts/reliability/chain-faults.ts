import { createPublicClient, createTestClient, type Hex, http, parseGwei } from "viem";
import { isTerminalStateName } from "../../lib/defix/intents";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { bigMax } from "../../oms/chain/signing";
import type { Db, Dialect } from "../../oms/store/db";
import type { ServiceProcess } from "../bench/lib/children";
import { createBenchDatabase } from "../bench/lib/database";
import { startOms } from "../bench/lib/oms";
import type { World } from "../bench/lib/world";
import { getFreePort } from "../lib/anvil";
import { checkInvariants, type InvariantReport } from "./lib/invariants";
import { grantSessionKey } from "./lib/session-key";
import { postIntent } from "./lib/submitters";

/**
 * Chain faults while intents are in flight, against a real anvil and the real OMS process:
 *
 * - restart: transactions sit in the node's pool (mining paused) when anvil is stopped; it stays down
 *   for a few seconds while more intents are submitted, then comes back from its saved state, which
 *   keeps blocks and balances but not the pool (like a real node restart).
 * - dropped: transactions in the pool are removed with `anvil_dropTransaction`.
 * - gas spike: while transactions wait in the pool, the base fee jumps to far above what they offer,
 *   then decays block by block as a real base fee does after a burst; more intents arrive during it.
 *
 * Each scenario passes when every one of its intents ends COMPLETED with exactly one mined transaction
 * and the whole database still satisfies the crash-test invariants (gapless logs, one mined tx per
 * intent, gapless nonces). It prints what the OMS recorded on the way (resends, waits and their
 * reasons, replacements), so a wrong or missing reason is visible.
 */
export interface ChainFaultOptions {
  dialect: Dialect;
  /** The OMS entry to run (the esbuild bundle). */
  entry: string;
  /** Intents per scenario sent before the fault; a few more arrive during it. */
  intents?: number;
  /** How long every scenario's intents get to end after the fault is over. */
  drainMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  name: string;
  tried: string;
  intents: number;
  states: Record<string, number>;
  /** What the OMS recorded: resends, waits with their reasons, replacements. */
  evidence: string;
  problems: string[];
}

export interface ChainFaultReport extends InvariantReport {
  dialect: Dialect;
  scenarios: ScenarioResult[];
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function chainFaultRun(world: World, options: ChainFaultOptions): Promise<ChainFaultReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const perScenario = options.intents ?? 6;
  const drainMs = options.drainMs ?? 90_000;
  const vault = world.manifest.vaults[0];
  if (!vault) throw new Error("no vault deployed");
  const database = await createBenchDatabase(options.dialect, world.dataDir, "chainfaults");
  const port = await getFreePort();
  let oms: ServiceProcess | undefined;
  try {
    oms = await startOms(world, {
      databaseUrl: database.databaseUrl,
      workers: 1,
      port,
      entry: options.entry,
      name: `oms-chain-${options.dialect}`,
    });
    const handle = await database.open();
    await grantSessionKey(world, oms.url, vault);
    const client = { url: oms.url, token: await world.token(vault.primary_manager), vault };
    const anvil = createTestClient({ mode: "anvil", transport: http(world.rpcUrl) });
    const chain = createPublicClient({ transport: http(world.rpcUrl) });
    let seq = Date.now();
    const submitMany = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await submit(client, seq++));
      return ids;
    };
    const scenarios: ScenarioResult[] = [];
    const finish = async (name: string, tried: string, ids: readonly string[]) => {
      const result = await settle(handle, ids, drainMs);
      scenarios.push({ name, tried, ...result });
      log(`  ${options.dialect}: ${name}: ${JSON.stringify(result.states)}; ${result.evidence}`);
    };

    // 1. anvil stopped with transactions in its pool, down for 4 s while intents keep arriving.
    await anvil.setAutomine(false);
    const beforeRestart = await submitMany(perScenario);
    await waitBroadcast(handle, beforeRestart, 30_000);
    let duringOutage: string[] = [];
    await world.restartChain(4_000, async () => {
      duringOutage = await submitMany(Math.ceil(perScenario / 2));
    });
    await finish(
      "anvil restart",
      `${beforeRestart.length} txs in the pool when anvil stopped (mining paused); down 4 s; ${duringOutage.length} intents submitted while it was down; restarted from its saved state (pool lost)`,
      [...beforeRestart, ...duringOutage],
    );

    // 2. transactions removed from the pool.
    await anvil.setAutomine(false);
    const dropped = await submitMany(perScenario);
    const hashes = await waitBroadcast(handle, dropped, 30_000);
    for (const hash of hashes) await anvil.dropTransaction({ hash });
    await sleep(1_000);
    await anvil.setAutomine(true);
    await finish(
      "dropped transaction",
      `${hashes.length} broadcast txs removed from the pool with anvil_dropTransaction, then mining resumed`,
      dropped,
    );

    // 3. gas spike: the base fee jumps far above what the waiting transactions offer, then decays.
    await anvil.setAutomine(false);
    const spiked = await submitMany(perScenario);
    const waiting = await waitBroadcast(handle, spiked, 30_000);
    const offered = await Promise.all(
      waiting.map(async (hash) => (await chain.getTransaction({ hash })).maxFeePerGas ?? 0n),
    );
    const spike = parseGwei("2000");
    await anvil.setNextBlockBaseFeePerGas({ baseFeePerGas: spike });
    await anvil.mine({ blocks: 1 });
    const duringSpike = await submitMany(Math.ceil(perScenario / 2));
    // A block every 250 ms: each empty block lowers the base fee by 1/8, as on mainnet after a burst.
    let baseFee = spike;
    let blocks = 0;
    while (blocks < 200) {
      await anvil.mine({ blocks: 1 });
      blocks++;
      baseFee = (await chain.getBlock()).baseFeePerGas ?? 0n;
      if (baseFee < parseGwei("1")) break;
      await sleep(250);
    }
    await anvil.setAutomine(true);
    await finish(
      "gas spike",
      `${waiting.length} txs offering ≤ ${formatGwei(largest(offered))} gwei waited in the pool when the base fee jumped to 2,000 gwei; ${duringSpike.length} intents submitted during the spike; ${blocks} blocks until it fell below 1 gwei`,
      [...spiked, ...duringSpike],
    );

    await oms.stop();
    oms = undefined;
    const all = scenarios.reduce((n, s) => n + s.intents, 0);
    const acknowledged = (await handle.db.selectFrom("intents").select("id").execute()).map((row) => row.id);
    const report = await checkInvariants(handle, world.rpcUrl, acknowledged);
    if (report.intents !== all) throw new Error(`expected ${all} intents in the database, found ${report.intents}`);
    return { ...report, dialect: options.dialect, scenarios, seconds: (performance.now() - started) / 1000 };
  } finally {
    await oms?.stop();
    await database.drop();
  }
}

async function submit(client: { url: string; token: string; vault: ManifestVault }, seq: number): Promise<string> {
  const answer = await postIntent(client.url, client.token, client.vault, seq, 10_000);
  if (answer.status !== 201 || answer.id === undefined) {
    throw new Error(`submit answered HTTP ${answer.status} ${answer.code ?? ""}`.trim());
  }
  return answer.id;
}

/** Waits until every intent has a broadcast transaction; returns the hashes in the pool. */
async function waitBroadcast(handle: Db, ids: readonly string[], timeoutMs: number): Promise<Hex[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await handle.db
      .selectFrom("tx_attempts")
      .select(["intent_id", "tx_hash"])
      .where("intent_id", "in", ids)
      .where("status", "=", "BROADCAST")
      .execute();
    if (new Set(rows.map((row) => row.intent_id)).size === ids.length) return rows.map((row) => row.tx_hash as Hex);
    if (Date.now() > deadline) {
      throw new Error(`only ${rows.length} of ${ids.length} intents were broadcast within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}

/** Waits until the intents are terminal (or `timeoutMs`), then says how they ended and what happened. */
async function settle(
  handle: Db,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Omit<ScenarioResult, "name" | "tried">> {
  const deadline = Date.now() + timeoutMs;
  const states = async () =>
    handle.db.selectFrom("intents").select(["id", "state", "error_code"]).where("id", "in", ids).execute();
  let rows = await states();
  while (rows.some((row) => !isTerminalStateName(row.state)) && Date.now() < deadline) {
    await sleep(250);
    rows = await states();
  }
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.state] = (counts[row.state] ?? 0) + 1;
  const problems = rows
    .filter((row) => row.state !== "COMPLETED")
    .map((row) => `${row.id} ${row.state}${row.error_code ? ` (${row.error_code})` : ""}`);

  const events = await handle.db
    .selectFrom("intent_events")
    .select(["message_type", "payload"])
    .where("intent_id", "in", ids)
    .where("message_type", "in", ["TX_DROPPED", "TX_REPLACED", "WAITING", "TX_BROADCAST"])
    .execute();
  const tally = new Map<string, number>();
  for (const event of events) {
    const payload = JSON.parse(event.payload) as Record<string, unknown>;
    const key =
      event.message_type === "WAITING"
        ? `WAITING ${String(payload.readiness_reason ?? payload.reason)}`
        : event.message_type === "TX_DROPPED"
          ? `TX_DROPPED ${payload.resent ? "resent" : String(payload.code ?? payload.detail ?? "not resent")}`
          : event.message_type;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const evidence = [...tally].map(([key, n]) => `${n} × ${key}`).join(", ") || "no fault events recorded";
  return { intents: ids.length, states: counts, evidence, problems };
}

const largest = (values: readonly bigint[]) => values.reduce(bigMax, 0n);
const formatGwei = (wei: bigint) => (Number(wei) / 1e9).toFixed(2);
