import { createPublicClient, http } from "viem";
import type { AccountMode } from "../../lib/defix/intents";
import { isTerminalStateName } from "../../lib/defix/intents";
import type { Dialect } from "../../oms/store/db";
import { createBenchDatabase } from "../bench/lib/database";
import { startOms } from "../bench/lib/oms";
import type { ExtraEnv, World } from "../bench/lib/world";
import { getFreePort } from "../lib/anvil";
import { vaultOfMode } from "./lib/account-mode";
import { checkInvariants, type InvariantReport, waitUntilDrained } from "./lib/invariants";
import { grantSessionKey } from "./lib/session-key";
import { postIntent } from "./lib/submitters";

export interface BurstOptions {
  dialect: Dialect;
  mode: AccountMode;
  /** The OMS entry (the esbuild bundle restarts fast). */
  entry: string;
  env?: ExtraEnv;
  /** How many intents of the one vault are submitted at once (the case: 15). */
  intents?: number;
  drainMs?: number;
}

export interface BurstReport extends InvariantReport {
  mode: AccountMode;
  acknowledged: string[];
  /** The intents' states at the SIGKILL (the restart came mid-flight: some EXECUTING, not all terminal). */
  statesAtKill: Record<string, number>;
  /** Final state per acknowledged intent. */
  finalStates: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The concurrency case of each account mode (issue 14): `intents` intents of one vault submitted at once, the OMS
 * SIGKILLed as soon as one of them is EXECUTING (its transaction or user op out, others still planning or
 * queued), restarted on the same database, drained; then the invariants, counting executions on the chain.
 */
export async function burstRestartRun(world: World, options: BurstOptions): Promise<BurstReport> {
  const vault = vaultOfMode(world, options.mode);
  const database = await createBenchDatabase(options.dialect, world.dataDir, "burst");
  const port = await getFreePort();
  const start = () =>
    startOms(world, {
      databaseUrl: database.databaseUrl,
      workers: 2,
      port,
      entry: options.entry,
      name: `oms-burst-${options.mode}`,
      // The killed process's claims run out after the lease; a short one (as the cluster run uses) drains sooner.
      env: { OMS_LEASE_MS: "5000", ...options.env },
    });
  try {
    let oms = await start();
    await grantSessionKey(world, oms.url, vault);
    const fromBlock = await createPublicClient({ transport: http(world.rpcUrl) }).getBlockNumber();
    const token = await world.token(vault.primary_manager);
    const seq = Date.now();
    const count = options.intents ?? 15;
    const answers = await Promise.all(
      Array.from({ length: count }, (_, i) => postIntent(oms.url, token, vault, seq + i, 10_000)),
    );
    const acknowledged = answers.flatMap((answer) => (answer.id ? [answer.id] : []));
    if (acknowledged.length !== count) throw new Error(`submit refused: ${JSON.stringify(answers)}`);
    const states = () => Promise.all(acknowledged.map((id) => stateOf(oms.url, token, id)));
    let atKill = await states();
    for (let tries = 0; !atKill.includes("EXECUTING") && !atKill.every(isTerminalStateName) && tries < 600; tries++) {
      await sleep(25);
      atKill = await states();
    }
    await oms.kill();
    oms = await start();
    const handle = await database.open();
    await waitUntilDrained(handle, options.drainMs ?? 90_000);
    const finalStates = await states();
    await oms.stop();
    const report = await checkInvariants(handle, world.rpcUrl, acknowledged, { manifest: world.manifest, fromBlock });
    return { ...report, mode: options.mode, acknowledged, statesAtKill: tally(atKill), finalStates };
  } finally {
    await database.drop();
  }
}

async function stateOf(url: string, token: string, id: string): Promise<string> {
  const response = await fetch(`${url}/defix/intents/${id}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET intent ${id} answered HTTP ${response.status}`);
  return ((await response.json()) as { state: string }).state;
}

function tally(states: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const state of states) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}
