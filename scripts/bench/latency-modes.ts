import { createPublicClient, http } from "viem";
import { foundry } from "viem/chains";
import type { AccountMode, Intent } from "../../lib/defix/intents";
import { TERMINAL_STATES } from "../../lib/defix/intents";
import { ACCOUNT_MODES, prepareModes, vaultOfMode } from "../reliability/lib/account-mode";
import { grantSessionKey } from "../reliability/lib/session-key";
import { argValue } from "./lib/args";
import { depositRequest } from "./lib/intents";
import { startOms } from "./lib/oms";
import { percentile, record, round, section } from "./lib/report";
import { startWorld, type World } from "./lib/world";

const POLL_MS = 20;
const INTENT_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  completedMs: number;
  /** The including block first seen by a 20 ms head watcher → COMPLETED seen by the 20 ms intent poll. */
  afterInclusionMs: number;
  /** Head block number when COMPLETED was seen minus the including block's number. */
  afterInclusionBlocks: number;
}

/**
 * The chain head as a 20 ms watcher sees it: when each block number was first seen, and the latest. Kept apart from
 * latency.ts's watcher because this bench also needs the head at the moment an intent is seen COMPLETED.
 */
function watchHead(rpcUrl: string) {
  const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
  const seen = new Map<bigint, number>();
  let head = -1n;
  let isRunning = true;
  const loop = (async () => {
    while (isRunning) {
      const latest = await client.getBlockNumber({ cacheTime: 0 });
      for (let n = head + 1n; n <= latest; n++) if (head >= 0n) seen.set(n, Date.now());
      head = latest;
      await sleep(POLL_MS);
    }
  })();
  return {
    seenAt: (block: bigint) => seen.get(block),
    head: () => head,
    async stop() {
      isRunning = false;
      await loop;
    },
  };
}

/**
 * Submit → COMPLETED per account mode (issue 14): one world with every mode's vault on `blockTime` s interval
 * mining, one real OMS process (SQLite, one worker, default engine timings) with a local alto as `BUNDLER_URL`,
 * intents one at a time. "After inclusion" is from the block that included the transaction (for the 4337 modes
 * the bundle transaction) to COMPLETED, in ms and in blocks.
 */
export async function benchLatencyModes(options: { intents: number; blockTime?: number }): Promise<void> {
  const blockTime = options.blockTime ?? 1;
  section(`e2e latency per account mode: ${options.intents} sequential DEPOSIT intents each, ${blockTime} s blocks`);
  const world = await startWorld({ blockTime });
  // `--bundler-port P` pins the local alto (a machine shared by several stacks); a free port otherwise.
  const port = argValue("bundler-port");
  const side = await prepareModes(world, ACCOUNT_MODES, { bundlerPort: port === undefined ? undefined : Number(port) });
  const watcher = watchHead(world.rpcUrl);
  try {
    const oms = await startOms(world, { workers: 1, name: "oms-latency-modes", env: side.env });
    try {
      for (const mode of ACCOUNT_MODES) await measure(world, oms.url, mode, options.intents, watcher, blockTime);
    } finally {
      await oms.stop();
    }
  } finally {
    await watcher.stop();
    await side.stop();
    await world.stop();
  }
}

async function measure(
  world: World,
  omsUrl: string,
  mode: AccountMode,
  intents: number,
  watcher: ReturnType<typeof watchHead>,
  blockTime: number,
): Promise<void> {
  const vault = vaultOfMode(world, mode);
  await grantSessionKey(world, omsUrl, vault);
  const client = createPublicClient({ chain: foundry, transport: http(world.rpcUrl) });
  const headers = { authorization: `Bearer ${await world.token(vault.primary_manager)}` };
  const samples: Sample[] = [];
  const failures: string[] = [];
  const seqBase = Date.now();
  for (let i = 0; i < intents; i++) {
    const submittedAt = Date.now();
    const response = await fetch(`${omsUrl}/defix/intents`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(depositRequest(vault, seqBase + i)),
    });
    const created = (await response.json()) as { id?: string };
    if (response.status !== 201 || !created.id) throw new Error(`${mode}: submit answered HTTP ${response.status}`);
    let intent: Intent | undefined;
    while (Date.now() < submittedAt + INTENT_TIMEOUT_MS) {
      const current = (await (await fetch(`${omsUrl}/defix/intents/${created.id}`, { headers })).json()) as Intent;
      if (TERMINAL_STATES.includes(current.state)) {
        intent = current;
        break;
      }
      await sleep(POLL_MS);
    }
    const completedAt = Date.now();
    const headAtCompletion = watcher.head();
    if (intent?.state !== "COMPLETED" || !intent.tx_hash) {
      failures.push(`${created.id}: ${intent ? `${intent.state} (${intent.error?.code ?? "no error"})` : "timed out"}`);
      continue;
    }
    const receipt = await client.getTransactionReceipt({ hash: intent.tx_hash as `0x${string}` });
    samples.push({
      completedMs: completedAt - submittedAt,
      afterInclusionMs: completedAt - (watcher.seenAt(receipt.blockNumber) ?? completedAt),
      afterInclusionBlocks: Number(headAtCompletion - receipt.blockNumber),
    });
  }
  const pick = (key: keyof Sample) => samples.map((sample) => sample[key]);
  const note = `${samples.length}/${intents} COMPLETED${failures.length ? `; failed: ${failures.slice(0, 3).join(", ")}` : ""}`;
  record({
    name: `e2e latency ${mode} (${blockTime} s blocks): inclusion → COMPLETED p50`,
    value: percentile(pick("afterInclusionBlocks"), 50),
    unit: "blocks",
    note: `p99 ${percentile(pick("afterInclusionBlocks"), 99)} blocks; in ms p50 ${round(percentile(pick("afterInclusionMs"), 50))}, p99 ${round(percentile(pick("afterInclusionMs"), 99))}; ${note}`,
  });
  record({
    name: `e2e latency ${mode} (${blockTime} s blocks): submit → COMPLETED p50`,
    value: percentile(pick("completedMs"), 50),
    unit: "ms",
    note: `p99 ${round(percentile(pick("completedMs"), 99))} ms (client, 20 ms poll)`,
  });
}
