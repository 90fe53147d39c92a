import type { Address, PublicClient } from "viem";
import type { z } from "zod";
import type { SessionKeyHistoryEntry } from "../../lib/defix/session-keys";
import { type ChainKeyEvent, strategyEvents } from "./chain-events";
import { type ChainLimitEvent, limitEvents } from "./limit-events";
import type { SessionKeyAction } from "./repository";

type Entry = z.output<typeof SessionKeyHistoryEntry>;

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

/** Block times for the events' blocks, one request per distinct block. */
async function blockTimes(
  client: PublicClient,
  events: readonly { blockNumber: bigint }[],
): Promise<Map<bigint, bigint>> {
  const numbers = [...new Set(events.map((event) => event.blockNumber))];
  const blocks = await Promise.all(numbers.map((blockNumber) => client.getBlock({ blockNumber })));
  return new Map(blocks.map((block) => [block.number, block.timestamp]));
}

/**
 * An expiry is not an event on-chain, so it is derived: a granted key whose expiry passed before it
 * was revoked, invalidated or granted again expired at that moment.
 */
export function derivedExpiries(
  vaultId: string,
  events: readonly ChainKeyEvent[],
  times: Map<bigint, bigint>,
  chainNow: bigint,
): Entry[] {
  const entries: Entry[] = [];
  events.forEach((event, index) => {
    if (event.kind !== "GRANTED" || !event.key || event.expiry === null || event.expiry > chainNow) return;
    const expiry = event.expiry;
    const key = event.key.toLowerCase();
    const endedEarlier = events.slice(index + 1).some((later) => {
      const affectsKey = later.kind === "INVALIDATED" || later.key?.toLowerCase() === key;
      return affectsKey && (times.get(later.blockNumber) ?? 0n) < expiry;
    });
    if (endedEarlier) return;
    entries.push({
      id: `expired:${key}:${expiry}`,
      vault_id: vaultId,
      type: "EXPIRED",
      session_key_address: key as Address,
      actor: null,
      tx_hash: null,
      expires_at: iso(expiry),
      created_at: iso(expiry),
    });
  });
  return entries;
}

function fromChain(vaultId: string, event: ChainKeyEvent, times: Map<bigint, bigint>): Entry {
  return {
    id: `chain:${event.txHash}:${event.logIndex}`,
    vault_id: vaultId,
    type: event.kind,
    session_key_address: event.key ? (event.key.toLowerCase() as Address) : null,
    actor: event.actor.toLowerCase(),
    tx_hash: event.txHash,
    expires_at: event.expiry === null ? null : iso(event.expiry),
    created_at: iso(times.get(event.blockNumber) ?? 0n),
  };
}

function fromLimit(vaultId: string, event: ChainLimitEvent, times: Map<bigint, bigint>): Entry {
  return {
    id: `chain:${event.txHash}:${event.logIndex}`,
    vault_id: vaultId,
    type: event.kind,
    session_key_address: event.subject ? (event.subject.toLowerCase() as Address) : null,
    actor: event.actor.toLowerCase(),
    tx_hash: event.txHash,
    expires_at: null,
    created_at: iso(times.get(event.blockNumber) ?? 0n),
    details: event.details,
  };
}

function fromAction(action: SessionKeyAction): Entry {
  return {
    id: action.id,
    vault_id: action.vault_id,
    type: action.type,
    session_key_address: action.session_key_address as Address | null,
    actor: action.actor,
    tx_hash: null,
    expires_at: action.expires_at,
    created_at: action.created_at,
  };
}

/**
 * Where an entry sits in chain order: (block time, block number, position in block). OMS actions sit
 * after everything in the block that was the head when they happened; an expiry sits before the first
 * block whose timestamp reached it. Wall clocks and block times can disagree (dev chains travel in
 * time), so the block position, not `created_at`, orders the trail.
 */
type Position = readonly [time: bigint, block: bigint, within: number];

function comparePositions(a: Position, b: Position): number {
  for (let index = 0; index < 2; index++) {
    const [left, right] = [a[index] as bigint, b[index] as bigint];
    if (left !== right) return left < right ? -1 : 1;
  }
  return a[2] - b[2];
}

/** Past any log index: an OMS action follows the whole block it observed. */
const AFTER_BLOCK = 1_000_000;

/** OMS actions, on-chain executor events and limit changes (budgets, pause, guardians) for one vault, newest first, at most `limit`. */
export async function sessionKeyHistory(options: {
  client: PublicClient;
  executor: Address;
  registry: Address;
  strategy: Address;
  fromBlock: bigint;
  vaultId: string;
  actions: readonly SessionKeyAction[];
  limit: number;
}): Promise<Entry[]> {
  const [events, limits] = await Promise.all([
    strategyEvents(options.client, options.executor, options.strategy, options.fromBlock),
    limitEvents(options.client, options, options.strategy, options.fromBlock),
  ]);
  const [times, latest] = await Promise.all([
    blockTimes(options.client, [...events, ...limits]),
    options.client.getBlock({ blockTag: "latest" }),
  ]);
  const positioned: Array<{ entry: Entry; position: Position }> = [
    ...options.actions.map((action) => ({
      entry: fromAction(action),
      position: [
        BigInt(action.chain_timestamp),
        BigInt(action.chain_block),
        AFTER_BLOCK + Date.parse(action.created_at),
      ] as const,
    })),
    ...events.map((event) => ({
      entry: fromChain(options.vaultId, event, times),
      position: [times.get(event.blockNumber) ?? 0n, event.blockNumber, event.logIndex] as const,
    })),
    ...limits.map((event) => ({
      entry: fromLimit(options.vaultId, event, times),
      position: [times.get(event.blockNumber) ?? 0n, event.blockNumber, event.logIndex] as const,
    })),
    ...derivedExpiries(options.vaultId, events, times, latest.timestamp).map((entry) => ({
      entry,
      position: [BigInt(Date.parse(entry.created_at) / 1000), -1n, 0] as const,
    })),
  ];
  const entries = positioned.sort((a, b) => comparePositions(b.position, a.position)).map(({ entry }) => entry);
  return entries.slice(0, options.limit);
}
