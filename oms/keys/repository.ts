import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { insertChainedAction } from "./action-chain";
import type { SessionKeyActionsTable, SessionKeyStatus, SessionKeysTable, SessionKeyTables } from "./schema";

export type SessionKeyRow = SessionKeysTable;
export type SessionKeyAction = SessionKeyActionsTable;
export type NewAction = Omit<SessionKeyActionsTable, "id" | "seq" | "hash">;

const LIVE: readonly SessionKeyStatus[] = ["ACTIVE", "PENDING_GRANT", "PENDING_ROTATION"];

/** SQLite and PostgreSQL report a unique-index conflict differently; both mean "someone else won". */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const { code } = error as { code: unknown };
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

/** Rolls a promotion back when another caller promoted (or discarded) the key first. */
class LostRace extends Error {}

export interface LiveKeys {
  active: SessionKeyRow | null;
  pendingGrant: SessionKeyRow | null;
  pendingRotation: SessionKeyRow | null;
}

/** The only module that reads or writes the session-key tables. */
export function sessionKeyRepository(db: Kysely<SessionKeyTables>) {
  const insertAction = (executor: Kysely<SessionKeyTables>, action: NewAction) =>
    insertChainedAction(executor, { id: randomUUID(), ...action });

  return {
    async live(vaultId: string): Promise<LiveKeys> {
      const rows = await db
        .selectFrom("session_keys")
        .selectAll()
        .where("vault_id", "=", vaultId)
        .where("status", "in", LIVE)
        .execute();
      const find = (status: SessionKeyStatus) => rows.find((row) => row.status === status) ?? null;
      return { active: find("ACTIVE"), pendingGrant: find("PENDING_GRANT"), pendingRotation: find("PENDING_ROTATION") };
    },

    /** Keys the OMS discarded (cancelled rotations, superseded grants), newest first. */
    async discarded(vaultId: string, limit: number): Promise<SessionKeyRow[]> {
      return db
        .selectFrom("session_keys")
        .selectAll()
        .where("vault_id", "=", vaultId)
        .where("status", "=", "DISCARDED")
        .orderBy("created_at", "desc")
        .limit(limit)
        .execute();
    },

    async heldAddresses(vaultId: string): Promise<Set<string>> {
      const rows = await db.selectFrom("session_keys").select("address").where("vault_id", "=", vaultId).execute();
      return new Set(rows.map((row) => row.address));
    },

    async find(vaultId: string, address: string): Promise<SessionKeyRow | null> {
      const row = await db
        .selectFrom("session_keys")
        .selectAll()
        .where("vault_id", "=", vaultId)
        .where("address", "=", address)
        .executeTakeFirst();
      return row ?? null;
    },

    /** A new pending key and its audit entry, atomically; throws a unique violation if one is already pending. */
    async insertPending(row: SessionKeyRow, action: NewAction, discardPendingGrantId?: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if (discardPendingGrantId) {
          await trx
            .updateTable("session_keys")
            .set({ status: "DISCARDED", updated_at: row.created_at })
            .where("id", "=", discardPendingGrantId)
            .where("status", "=", "PENDING_GRANT")
            .execute();
        }
        await trx.insertInto("session_keys").values(row).execute();
        await insertAction(trx, action);
      });
    },

    async refreshPending(id: string, requestedExpiresAt: string, at: string, action: NewAction): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("session_keys")
          .set({ requested_expires_at: requestedExpiresAt, updated_at: at })
          .where("id", "=", id)
          .execute();
        await insertAction(trx, action);
      });
    },

    /**
     * Makes `pendingId` the vault's active key and retires the previous one. Conditional on the pending
     * status so two workers reconciling at once promote it once; returns whether this call did it.
     */
    async promote(
      vaultId: string,
      pendingId: string,
      from: "PENDING_GRANT" | "PENDING_ROTATION" | "DISCARDED",
      at: string,
      action?: NewAction,
    ): Promise<boolean> {
      try {
        await db.transaction().execute(async (trx) => {
          // Never the pending row itself: a concurrent promoter that already activated it must not retire it.
          await trx
            .updateTable("session_keys")
            .set({ status: "RETIRED", updated_at: at })
            .where("vault_id", "=", vaultId)
            .where("status", "=", "ACTIVE")
            .where("id", "!=", pendingId)
            .execute();
          const result = await trx
            .updateTable("session_keys")
            .set({ status: "ACTIVE", updated_at: at })
            .where("id", "=", pendingId)
            .where("status", "=", from)
            .executeTakeFirst();
          if (result.numUpdatedRows !== 1n) throw new LostRace();
          if (action) await insertAction(trx, action);
        });
        return true;
      } catch (error) {
        if (error instanceof LostRace || isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async discard(id: string, at: string, action: NewAction): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable("session_keys")
          .set({ status: "DISCARDED", updated_at: at })
          .where("id", "=", id)
          .where("status", "in", ["PENDING_GRANT", "PENDING_ROTATION"])
          .executeTakeFirst();
        if (result.numUpdatedRows !== 1n) return false;
        await insertAction(trx, action);
        return true;
      });
    },

    addAction: (action: NewAction) => db.transaction().execute((trx) => insertAction(trx, action)),

    /** The newest action of `type` on `address` (e.g. the last prepare of a pending key). */
    async lastAction(vaultId: string, type: NewAction["type"], address: string): Promise<SessionKeyAction | null> {
      const row = await db
        .selectFrom("session_key_actions")
        .selectAll()
        .where("vault_id", "=", vaultId)
        .where("type", "=", type)
        .where("session_key_address", "=", address)
        .orderBy("created_at", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ?? null;
    },

    async actions(vaultId: string, limit: number): Promise<SessionKeyAction[]> {
      return db
        .selectFrom("session_key_actions")
        .selectAll()
        .where("vault_id", "=", vaultId)
        .orderBy("created_at", "desc")
        .limit(limit)
        .execute();
    },
  };
}
export type SessionKeyRepository = ReturnType<typeof sessionKeyRepository>;
