import { type Expression, type Kysely, type Selectable, sql } from "kysely";
import { ApprovalPolicy, type ApprovalPolicyVersion } from "../../lib/defix/approvals";
import { GENESIS_HASH, policyVersionHash } from "../../lib/defix/audit-chain";
import { dialectOf } from "./db";
import type { ApprovalPoliciesTable, Database } from "./schema";

type Row = Selectable<ApprovalPoliciesTable>;
export type NewPolicyVersion = Omit<ApprovalPoliciesTable, "hash">;

/** The one place stored policy rows are parsed. */
export function rowToPolicyVersion(row: Row): ApprovalPolicyVersion {
  return {
    version: row.version,
    policy: row.policy === null ? null : ApprovalPolicy.parse(JSON.parse(row.policy)),
    signed_by: row.signed_by as ApprovalPolicyVersion["signed_by"],
    signature: row.signature as ApprovalPolicyVersion["signature"],
    created_at: row.created_at,
    hash: row.hash,
  };
}

/** The newest version of the vault's policy, or null before the first. */
export async function policyHead(db: Kysely<Database>, vaultId: string): Promise<ApprovalPolicyVersion | null> {
  const row = await db
    .selectFrom("approval_policies")
    .selectAll()
    .where("vault_id", "=", vaultId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : rowToPolicyVersion(row);
}

/**
 * The one statement of which version is in force at a time: the vault's newest version written at or before it. A
 * subquery selecting that version's number, for a vault and time given as values or as an outer query's columns.
 */
export function versionInForce(db: Kysely<Database>, vaultId: Expression<string>, at: Expression<string>) {
  return db
    .selectFrom("approval_policies as p")
    .select("p.version")
    .where("p.vault_id", "=", vaultId)
    .where("p.created_at", "<=", at)
    .orderBy("p.version", "desc")
    .limit(1);
}

/** The version in force at `at` (the newest written at or before it), or null. */
export async function policyAt(
  db: Kysely<Database>,
  vaultId: string,
  at: string,
): Promise<ApprovalPolicyVersion | null> {
  const row = await db
    .selectFrom("approval_policies")
    .selectAll()
    .where("vault_id", "=", vaultId)
    .where("version", "=", versionInForce(db, sql.val(vaultId), sql.val(at)))
    .executeTakeFirst();
  return row === undefined ? null : rowToPolicyVersion(row);
}

/** Every version, newest first (at most `limit`). */
export async function policyHistory(
  db: Kysely<Database>,
  vaultId: string,
  limit = 100,
): Promise<ApprovalPolicyVersion[]> {
  const rows = await db
    .selectFrom("approval_policies")
    .selectAll()
    .where("vault_id", "=", vaultId)
    .orderBy("version", "desc")
    .limit(limit)
    .execute();
  return rows.map(rowToPolicyVersion);
}

/**
 * Appends `row` if it is exactly the next version after `previousHash`; returns it stored, or null when
 * another version was written meanwhile (the caller answers VERSION_CONFLICT). Serialized per vault by a
 * transaction-scoped advisory lock on PostgreSQL and the write lock on SQLite; the primary key backs it.
 */
export async function appendPolicyVersion(
  db: Kysely<Database>,
  row: NewPolicyVersion,
  previousHash: string,
): Promise<ApprovalPolicyVersion | null> {
  const isPostgres = dialectOf(db) === "postgres";
  return db.transaction().execute(async (trx) => {
    if (isPostgres) {
      await sql`select pg_advisory_xact_lock(hashtext(${`approval-policies:${row.vault_id}`}))`.execute(trx);
    }
    const head = await policyHead(trx, row.vault_id);
    if ((head?.version ?? 0) + 1 !== row.version || (head?.hash ?? GENESIS_HASH) !== previousHash) return null;
    const stored = { ...row, hash: policyVersionHash(previousHash, row) };
    await trx.insertInto("approval_policies").values(stored).execute();
    return rowToPolicyVersion(stored);
  });
}

/**
 * The audit export's policy history: every version of the vault from the first to the last written in
 * [from, to), contiguous by version, each with the hash it links to (`prev_hash`).
 */
export async function* auditPolicyVersions(
  db: Kysely<Database>,
  range: { vaultId: string; from: string; to: string },
): AsyncGenerator<Record<string, unknown>> {
  const rows = await db
    .selectFrom("approval_policies")
    .selectAll()
    .where("vault_id", "=", range.vaultId)
    .where("created_at", ">=", range.from)
    .where("created_at", "<", range.to)
    .orderBy("version")
    .execute();
  const first = rows[0];
  if (first === undefined) return;
  const before = await db
    .selectFrom("approval_policies")
    .select("hash")
    .where("vault_id", "=", range.vaultId)
    .where("version", "=", first.version - 1)
    .executeTakeFirst();
  let prev = before?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    yield { ...row, prev_hash: prev };
    prev = row.hash;
  }
}
