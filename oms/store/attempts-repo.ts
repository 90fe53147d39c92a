import type { Insertable, Kysely, Selectable } from "kysely";
import { z } from "zod";
import { TxHash } from "../../lib/defix";
import type { Tx } from "./intents-repo";
import { type AttemptChange, applyRowWrites } from "./row-writes";
import type { Database, TxAttemptsTable } from "./schema";

export const AttemptStatus = z.enum(["SIGNED", "BROADCAST", "MINED", "REVERTED", "REPLACED", "DROPPED"]);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

export interface StoredAttempt {
  tx_hash: `0x${string}`;
  intent_id: string;
  execution_id: string;
  chain_id: number;
  signer: string;
  nonce: number;
  max_fee_per_gas: bigint;
  max_priority_fee_per_gas: bigint;
  raw_tx: `0x${string}`;
  status: AttemptStatus;
  broadcast_block: number | null;
  created_at: string;
}

function parse(row: Selectable<TxAttemptsTable>): StoredAttempt {
  return {
    ...row,
    tx_hash: TxHash.parse(row.tx_hash),
    max_fee_per_gas: BigInt(row.max_fee_per_gas),
    max_priority_fee_per_gas: BigInt(row.max_priority_fee_per_gas),
    raw_tx: row.raw_tx as `0x${string}`,
    status: AttemptStatus.parse(row.status),
  };
}

/** A new attempt's row (created and updated at `at`): `insertAttempt`, or data in a signing turn's statement. */
export function attemptRow(attempt: Omit<StoredAttempt, "created_at">, at: Date): Insertable<TxAttemptsTable> {
  const now = at.toISOString();
  return {
    ...attempt,
    max_fee_per_gas: attempt.max_fee_per_gas.toString(),
    max_priority_fee_per_gas: attempt.max_priority_fee_per_gas.toString(),
    created_at: now,
    updated_at: now,
  };
}

export async function insertAttempt(trx: Tx, attempt: Omit<StoredAttempt, "created_at">, at: Date): Promise<void> {
  await trx.insertInto("tx_attempts").values(attemptRow(attempt, at)).execute();
}

/** Oldest first: the first is the original, later ones replacements with the same nonce. */
export async function listAttempts(db: Kysely<Database> | Tx, intentId: string): Promise<StoredAttempt[]> {
  const rows = await db
    .selectFrom("tx_attempts")
    .selectAll()
    .where("intent_id", "=", intentId)
    .orderBy("created_at", "asc")
    .orderBy("max_fee_per_gas", "asc")
    .execute();
  return rows.map(parse);
}

export async function setAttemptStatus(
  db: Kysely<Database> | Tx,
  txHash: string,
  status: AttemptStatus,
  at: Date,
  broadcastBlock?: number,
): Promise<void> {
  await applyRowWrites(db, { attempts: [attemptStatusChange(txHash, status, at, broadcastBlock)], fills: [] });
}

/** An attempt's new status (and the block it was broadcast at), as data: a step's `RowWrites`, or `setAttemptStatus`. */
export function attemptStatusChange(
  txHash: string,
  status: AttemptStatus,
  at: Date,
  broadcastBlock?: number,
): AttemptChange {
  return {
    tx_hash: txHash,
    status,
    updated_at: at.toISOString(),
    ...(broadcastBlock === undefined ? {} : { broadcast_block: broadcastBlock }),
  };
}

/** The mined attempt's receipt columns, as data: a step's `RowWrites`, or `recordAttemptReceipt`. */
export function attemptReceiptChange(
  txHash: string,
  status: Extract<AttemptStatus, "MINED" | "REVERTED">,
  at: Date,
  receipt: { gasUsed: number; effectiveGasPriceWei: bigint; blockNumber: number; minedAt: string },
): AttemptChange {
  return {
    tx_hash: txHash,
    status,
    updated_at: at.toISOString(),
    gas_used: receipt.gasUsed,
    effective_gas_price: receipt.effectiveGasPriceWei.toString(),
    mined_block: receipt.blockNumber,
    mined_at: receipt.minedAt,
  };
}

/** The attempt that mined: its status (MINED or REVERTED) and what it cost, counted once per transaction. */
export async function recordAttemptReceipt(
  trx: Tx,
  txHash: string,
  status: Extract<AttemptStatus, "MINED" | "REVERTED">,
  at: Date,
  receipt: { gasUsed: number; effectiveGasPriceWei: bigint; blockNumber: number; minedAt: string },
): Promise<void> {
  await applyRowWrites(trx, { attempts: [attemptReceiptChange(txHash, status, at, receipt)], fills: [] });
}

/** A user operation's inclusion: the bundle transaction and what the account paid (UserOperationEvent). */
export async function recordUserOpInclusion(
  trx: Tx,
  userOpHash: string,
  inclusion: { bundleTxHash: string; actualGasCost: bigint },
): Promise<void> {
  await trx
    .updateTable("tx_attempts")
    .set({ bundle_tx_hash: inclusion.bundleTxHash, actual_gas_cost: inclusion.actualGasCost.toString() })
    .where("tx_hash", "=", userOpHash)
    .execute();
}

/** Every nonce this signer has used, ascending (tests assert they are gapless). */
export async function listSignerNonces(db: Kysely<Database>, chainId: number, signer: string): Promise<number[]> {
  const rows = await db
    .selectFrom("tx_attempts")
    .select("nonce")
    .distinct()
    .where("chain_id", "=", chainId)
    .where("signer", "=", signer.toLowerCase())
    .orderBy("nonce", "asc")
    .execute();
  return rows.map((row) => row.nonce);
}

/**
 * The newest live (SIGNED or BROADCAST) attempt of each of the signer's nonces in [from, to),
 * ascending: what must reach the node before a transaction with nonce `to` can mine.
 */
export async function openAttemptsBelow(
  db: Kysely<Database>,
  chainId: number,
  signer: string,
  from: number,
  to: number,
): Promise<StoredAttempt[]> {
  const rows = await db
    .selectFrom("tx_attempts")
    .selectAll()
    .where("chain_id", "=", chainId)
    .where("signer", "=", signer.toLowerCase())
    .where("nonce", ">=", from)
    .where("nonce", "<", to)
    .where("status", "in", ["SIGNED", "BROADCAST"])
    .orderBy("nonce", "asc")
    .orderBy("created_at", "desc")
    .execute();
  const newest = new Map<number, StoredAttempt>();
  for (const row of rows) if (!newest.has(row.nonce)) newest.set(row.nonce, parse(row));
  return [...newest.values()];
}
