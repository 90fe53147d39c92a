import type { Intent } from "../../lib/defix/intents";
import { grantSessionKey } from "../reliability/lib/session-key";
import { argValue } from "./lib/args";
import { watchBlocks } from "./lib/block-watcher";
import { cpuMs } from "./lib/cpu";
import { inclusionTimes, settle } from "./lib/intent-outcomes";
import { type Submitted, submitPaced } from "./lib/intents";
import type { CommittedEvent } from "./lib/live-latency";
import { startOms } from "./lib/oms";
import { percentile, record, round, section } from "./lib/report";
import { callsBetween, startRpcCounter } from "./lib/rpc-counter";
import { startWorld } from "./lib/world";

const BLOCK_SECONDS = 1;
/** Issue 22: from a transaction's inclusion to COMPLETED, p50 ≤ one block interval + 300 ms. */
const TARGET_EXTRA_MS = 300;
/** Engine stages in lifecycle order; each figure is the gap from the previous stage's commit. */
const STAGES = [
  "INTENT_RECEIVED",
  "INTENT_ACKED",
  "INTENT_STAGED",
  "INTENT_PLANNED",
  "INTENT_EXECUTING",
  "TX_BROADCAST",
  "TX_MINED",
  "INTENT_COMPLETED",
] as const;

/**
 * `e2e-latency --rate R --seconds S` (issue 22, target 4, without a browser): the OMS as the browser bench runs
 * it (SQLite, one worker, limits and per-vault bound lifted) on 1 s blocks, DEPOSIT intents submitted at a
 * steady rate. Prints inclusion (block first seen by a 20 ms watcher) → COMPLETED committed, and where the
 * time goes per engine stage from the committed events' timestamps.
 */
export async function benchLatencyLoad(options: { rate: number; seconds: number }): Promise<void> {
  section(
    `e2e latency under load: ${options.rate} DEPOSIT intents/s for ${options.seconds} s, ${BLOCK_SECONDS} s blocks`,
  );
  // `--chain-port P --oms-port P` pin the processes into a range on a machine shared by several stacks.
  const port = (name: string) => (argValue(name) === undefined ? undefined : Number(argValue(name)));
  const world = await startWorld({ blockTime: BLOCK_SECONDS, port: port("chain-port") });
  const watcher = watchBlocks(world.rpcUrl);
  // The OMS reaches the node through a counting proxy: its calls per intent are printed with the CPU.
  const rpc = await startRpcCounter(world.rpcUrl);
  try {
    const vault = world.manifest.vaults[0];
    if (!vault) throw new Error("no vault deployed");
    const oms = await startOms(world, {
      workers: 1,
      name: "oms-latency-load",
      port: port("oms-port"),
      env: { OMS_MAX_IN_FLIGHT_PER_VAULT: "0", RPC_URL: rpc.url },
    });
    try {
      await grantSessionKey(world, oms.url, vault);
      const headers = { authorization: `Bearer ${await world.token(vault.primary_manager)}` };
      const submitted: Submitted[] = [];
      const count = Math.round(options.rate * options.seconds);
      // The machine is shared: latency moves with whatever else runs, the OMS's CPU per intent far less.
      const cpuBefore = cpuMs(oms.pid);
      const callsBefore = rpc.counts();
      await submitPaced(oms.url, headers, vault, options, submitted);
      const finals = await settle(oms.url, headers, submitted);
      const cpuPerIntent = (cpuMs(oms.pid) - cpuBefore) / count;
      const calls = callsBetween(callsBefore, rpc.counts());
      const includedAt = await inclusionTimes(world.rpcUrl, finals, watcher);
      const events = new Map<string, CommittedEvent[]>();
      for (const { id } of submitted) {
        const response = await fetch(`${oms.url}/defix/intents/${id}/events`, { headers });
        events.set(id, ((await response.json()) as { events: CommittedEvent[] }).events);
      }
      const failed = [...finals.values()].filter((intent) => intent.state !== "COMPLETED") as Partial<Intent>[];
      report(events, includedAt, count, failed, cpuPerIntent);
      const total = calls.reduce((sum, [, n]) => sum + n, 0);
      record({
        name: "e2e latency under load: OMS JSON-RPC calls per intent",
        value: total / count,
        unit: "calls",
        note: calls.map(([method, n]) => `${method} ${round(n / count, 2)}`).join(", "),
      });
    } finally {
      await oms.stop();
    }
  } finally {
    await rpc.stop();
    await watcher.stop();
    await world.stop();
  }
}

function report(
  events: ReadonlyMap<string, readonly CommittedEvent[]>,
  includedAt: ReadonlyMap<string, number>,
  count: number,
  failed: readonly Partial<Intent>[],
  cpuPerIntent: number,
): void {
  const afterInclusion: number[] = [];
  const gaps = new Map<string, number[]>();
  for (const [id, list] of events) {
    const at = (type: string) => {
      const event = list.find((e) => e.message_type === type);
      return event === undefined ? undefined : Date.parse(event.created_at);
    };
    const completed = at("INTENT_COMPLETED");
    const included = includedAt.get(id);
    if (completed !== undefined && included !== undefined) afterInclusion.push(completed - included);
    for (let i = 1; i < STAGES.length; i++) {
      const [from, to] = [at(STAGES[i - 1] ?? ""), at(STAGES[i] ?? "")];
      if (from === undefined || to === undefined) continue;
      const key = `${STAGES[i - 1]} → ${STAGES[i]}`;
      gaps.set(key, [...(gaps.get(key) ?? []), to - from]);
    }
    const mined = at("TX_MINED");
    if (mined !== undefined && included !== undefined) {
      gaps.set("block seen → TX_MINED", [...(gaps.get("block seen → TX_MINED") ?? []), mined - included]);
    }
  }
  const p50 = percentile(afterInclusion, 50);
  const limit = BLOCK_SECONDS * 1000 + TARGET_EXTRA_MS;
  const failures = failed.map((intent) => `${intent.state} ${intent.error?.code ?? ""}`.trim());
  record({
    name: "e2e latency under load: inclusion (block first seen) → COMPLETED committed, p50",
    value: p50,
    unit: "ms",
    target: `≤ ${limit} ms (one ${BLOCK_SECONDS} s block + ${TARGET_EXTRA_MS} ms)`,
    met: p50 <= limit && failures.length === 0,
    note: `p95 ${round(percentile(afterInclusion, 95))} ms; ${afterInclusion.length}/${count} COMPLETED with inclusion seen${failures.length > 0 ? `; not COMPLETED: ${failures.slice(0, 3).join(", ")}` : ""}`,
  });
  record({
    name: "e2e latency under load: OMS CPU per intent (submit → settled, incl. its reads by the bench)",
    value: cpuPerIntent,
    unit: "ms",
    note: "the OMS process's user + system time over the run divided by the intents submitted",
  });
  for (const [stage, values] of gaps)
    console.log(
      `  ${stage.padEnd(44)} p50 ${String(round(percentile(values, 50))).padStart(6)} ms  p95 ${String(round(percentile(values, 95))).padStart(6)} ms  (${values.length})`,
    );
}
