import { createPublicClient, type Hex, http } from "viem";
import { isTerminalStateName } from "../../../lib/defix/intents";
import type { DeploymentManifest } from "../../../lib/deployment/manifest";
import { replay } from "../../../oms/domain/projector";
import type { Db } from "../../../oms/store/db";
import { rowToEvent } from "../../../oms/store/rows";
import { checkExecutions, type ExecutionReport } from "./executions";

export interface InvariantReport {
  intents: number;
  states: Record<string, number>;
  /** Acknowledged (200/201) ids that are not in the database. */
  missing: string[];
  /** Intents whose event log is not 1..seq_num, or whose row is not the replay of its events. */
  brokenLogs: string[];
  /** Intents with more than one mined transaction. */
  multiMined: string[];
  /** COMPLETED intents without exactly one successful mined transaction. */
  completedWithoutTx: string[];
  /** Per signer: mined nonces are exactly 0..n-1 and n is the chain's nonce; the DB counter is not ahead. */
  nonceProblems: string[];
  /** Event positions are not exactly 1..N, one per event, with the counter at N (see oms/store/positions.ts). */
  positionProblems: string[];
  minedTxs: number;
  nonTerminal: number;
  /** For up to five non-terminal intents: state, last events, attempts (nonce/status/on chain?). */
  stuck: string[];
  /** Executions counted on the chain (hooks, user ops per nonce lane); absent when no manifest was given. */
  executions?: ExecutionReport;
}

/** The user-op modes: an attempt's `tx_hash` is a userOpHash there, checked per EntryPoint lane instead. */
const USER_OP_MODES = new Set(["EIP4337", "EIP4337_COMPANION"]);

/**
 * What must hold after any number of crashes. Reads the database and the chain, never the OMS. With `onChain`, also
 * counts executions on the chain since `fromBlock` (lib/executions.ts), which is how a 4337 intent is checked.
 */
export async function checkInvariants(
  handle: Db,
  rpcUrl: string,
  acknowledged: readonly string[],
  onChain?: { manifest: DeploymentManifest; fromBlock: bigint },
): Promise<InvariantReport> {
  const db = handle.db;
  const rows = await db
    .selectFrom("intents")
    .select(["id", "state", "seq_num", "tx_hash", "vault_id", "account_mode"])
    .execute();
  const userOpIntents = new Set(rows.filter((row) => USER_OP_MODES.has(row.account_mode)).map((row) => row.id));
  // Their attempts are not transactions: without the on-chain count nothing would check them at all.
  if (userOpIntents.size > 0 && onChain === undefined)
    throw new Error("user-op intents need checkInvariants(…, { manifest, fromBlock }) to be checked on the chain");
  const byId = new Map(rows.map((row) => [row.id, row]));
  const states: Record<string, number> = {};
  for (const row of rows) states[row.state] = (states[row.state] ?? 0) + 1;
  const missing = acknowledged.filter((id) => !byId.has(id));

  const brokenLogs: string[] = [];
  const events = await db.selectFrom("intent_events").selectAll().orderBy("intent_id").orderBy("seq_num").execute();
  const logs = new Map<string, ReturnType<typeof rowToEvent>[]>();
  for (const event of events) {
    const list = logs.get(event.intent_id) ?? [];
    list.push(rowToEvent(event));
    logs.set(event.intent_id, list);
  }
  for (const row of rows) {
    const log = logs.get(row.id) ?? [];
    const isGapless = log.length === row.seq_num && log.every((event, i) => event.seq_num === i + 1);
    let isProjection = false;
    try {
      const replayed = replay(log);
      isProjection = replayed !== null && replayed.state === row.state && replayed.seq_num === row.seq_num;
    } catch {
      // A log the projector refuses is exactly the breakage this check reports.
      isProjection = false;
    }
    if (!isGapless || !isProjection) brokenLogs.push(row.id);
  }

  const client = createPublicClient({ transport: http(rpcUrl) });
  const attempts = await db
    .selectFrom("tx_attempts")
    .select(["tx_hash", "intent_id", "signer", "nonce", "status"])
    .execute();
  const mined = new Map<string, number>();
  const successByIntent = new Map<string, number>();
  const minedNonces = new Map<string, number[]>();
  for (const attempt of attempts) {
    if (userOpIntents.has(attempt.intent_id)) continue;
    const receipt = await client.getTransactionReceipt({ hash: attempt.tx_hash as Hex }).catch(() => null);
    if (receipt === null) continue;
    mined.set(attempt.intent_id, (mined.get(attempt.intent_id) ?? 0) + 1);
    if (receipt.status === "success")
      successByIntent.set(attempt.intent_id, (successByIntent.get(attempt.intent_id) ?? 0) + 1);
    const list = minedNonces.get(attempt.signer) ?? [];
    list.push(attempt.nonce);
    minedNonces.set(attempt.signer, list);
  }
  const executions = onChain && (await checkExecutions(rpcUrl, onChain.manifest, rows, onChain.fromBlock));
  const multiMined = [...mined].filter(([, count]) => count > 1).map(([id]) => id);
  // A user-op intent whose lane the EntryPoint used twice is the same defect: it executed twice.
  for (const id of executions?.multiExecuted ?? []) multiMined.push(id);
  const completedWithoutTx = rows
    .filter((row) => row.state === "COMPLETED" && !userOpIntents.has(row.id) && successByIntent.get(row.id) !== 1)
    .map((row) => row.id)
    .concat(executions?.completedWithoutOp ?? []);

  const nonceProblems: string[] = [];
  const counters = await db.selectFrom("signer_nonces").selectAll().execute();
  const signers = new Set([...minedNonces.keys(), ...counters.map((c) => c.signer)]);
  for (const signer of signers) {
    const nonces = [...(minedNonces.get(signer) ?? [])].sort((a, b) => a - b);
    const chainNonce = await client.getTransactionCount({ address: signer as Hex, blockTag: "latest" });
    const isGapless = nonces.every((nonce, i) => nonce === i) && nonces.length === chainNonce;
    if (!isGapless) {
      nonceProblems.push(
        `${signer}: chain nonce ${chainNonce}, mined nonces known to the OMS ${nonces.length} (${describeGaps(nonces)})`,
      );
    }
    const counter = counters.find((c) => c.signer === signer);
    if (counter && counter.next_nonce > chainNonce) {
      nonceProblems.push(
        `${signer}: DB allocated up to ${counter.next_nonce} but the chain is at ${chainNonce} (an allocated nonce never mined)`,
      );
    }
  }
  const positionProblems = describePositions(
    events.map((event) => (event.position === null ? null : Number(event.position))),
    await db.selectFrom("event_position").select("last").where("id", "=", 1).executeTakeFirst(),
  );
  const stuck: string[] = [];
  for (const row of rows.filter((r) => !isTerminalStateName(r.state)).slice(0, 5)) {
    const last = (logs.get(row.id) ?? []).slice(-3).map((event) => event.message_type);
    const own = attempts.filter((attempt) => attempt.intent_id === row.id);
    const described = await Promise.all(
      own.map(async (attempt) => {
        const isKnown = await client.getTransaction({ hash: attempt.tx_hash as Hex }).then(
          () => "known to node",
          () => "unknown to node",
        );
        return `nonce ${attempt.nonce} ${attempt.status} ${isKnown}`;
      }),
    );
    stuck.push(`${row.id} ${row.state} last events [${last.join(", ")}] attempts [${described.join("; ")}]`);
  }
  return {
    executions: executions || undefined,
    stuck,
    intents: rows.length,
    states,
    missing,
    brokenLogs,
    multiMined,
    completedWithoutTx,
    nonceProblems,
    positionProblems,
    minedTxs: [...mined.values()].reduce((a, b) => a + b, 0),
    nonTerminal: rows.filter((row) => !isTerminalStateName(row.state)).length,
  };
}

function describePositions(
  positions: readonly (number | null)[],
  counter: { last: number | string } | undefined,
): string[] {
  const problems: string[] = [];
  const unset = positions.filter((position) => position === null).length;
  if (unset > 0) problems.push(`${unset} events without a position`);
  const sorted = positions.filter((position) => position !== null).sort((a, b) => a - b);
  const wrong = sorted.findIndex((position, i) => position !== i + 1);
  if (wrong >= 0) problems.push(`positions are not 1..${sorted.length}: at index ${wrong} found ${sorted[wrong]}`);
  if (Number(counter?.last ?? -1) !== positions.length) {
    problems.push(
      `the position counter is at ${counter?.last ?? "(missing)"} but there are ${positions.length} events`,
    );
  }
  return problems;
}

function describeGaps(sorted: readonly number[]): string {
  const gaps: number[] = [];
  for (let i = 0, expected = 0; i < sorted.length; i++, expected++) {
    if (sorted[i] !== expected) gaps.push(expected);
    if (gaps.length >= 5) break;
  }
  return gaps.length ? `first missing: ${gaps.join(", ")}` : "no gap in the known ones";
}

export function isClean(report: InvariantReport): boolean {
  return (
    report.missing.length === 0 &&
    report.brokenLogs.length === 0 &&
    report.multiMined.length === 0 &&
    report.completedWithoutTx.length === 0 &&
    report.nonceProblems.length === 0 &&
    report.positionProblems.length === 0 &&
    (report.executions?.problems.length ?? 0) === 0
  );
}

/** Polls until no intent is active (every one terminal) or `timeoutMs` passed; returns the ms it took. */
export async function waitUntilDrained(handle: Db, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const row = await handle.db
      .selectFrom("intents")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("active", "=", 1)
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return performance.now() - started;
}
