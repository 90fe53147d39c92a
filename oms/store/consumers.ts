import type { Kysely } from "kysely";
import type { Tx } from "./intents-repo";
import type { Database } from "./schema";

/**
 * Durable consumers of the event log (docs/ARCHITECTURE.md, "Outbox consumers"). A consumer (the NATS
 * relay, the webhook dispatcher) reads events by `position > cursor`, handles them, then advances its
 * cursor: at least once, in position order, resuming after a restart. One OMS process at a time runs a
 * consumer: the holder of its lease; the others retry the lease and take over when it runs out.
 */
export interface ConsumerLease {
  name: string;
  owner: string;
  /** The last position the consumer has handled. */
  position: number;
}

/**
 * Takes (or renews) the lease on consumer `name` for `owner` until `now + leaseMs`, creating the
 * cursor at `initialPosition` the first time. Null when another live owner holds it.
 */
export async function leaseConsumer(
  db: Kysely<Database>,
  input: { name: string; owner: string; now: Date; leaseMs: number; initialPosition: number },
): Promise<ConsumerLease | null> {
  const at = input.now.toISOString();
  const until = new Date(input.now.getTime() + input.leaseMs).toISOString();
  await db
    .insertInto("consumer_cursors")
    .values({
      name: input.name,
      position: input.initialPosition,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: at,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db
    .updateTable("consumer_cursors")
    .set({ lease_owner: input.owner, lease_expires_at: until })
    .where("name", "=", input.name)
    .where((eb) =>
      eb.or([eb("lease_owner", "is", null), eb("lease_owner", "=", input.owner), eb("lease_expires_at", "<", at)]),
    )
    .returning(["position"])
    .executeTakeFirst();
  return row === undefined ? null : { name: input.name, owner: input.owner, position: Number(row.position) };
}

/**
 * Moves the cursor forward to `position` (never back) while `owner` still holds the lease; false when
 * the lease was lost (another process took over: stop and re-lease). Pass a transaction to advance
 * together with the consumer's own writes.
 */
export async function advanceConsumer(
  db: Kysely<Database> | Tx,
  input: { name: string; owner: string; position: number; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("consumer_cursors")
    .set({ position: input.position, updated_at: input.now.toISOString() })
    .where("name", "=", input.name)
    .where("lease_owner", "=", input.owner)
    .where("position", "<=", input.position)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the lease up (a clean shutdown), so another process takes over at once. */
export async function releaseConsumer(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await db
    .updateTable("consumer_cursors")
    .set({ lease_owner: null, lease_expires_at: null })
    .where("name", "=", name)
    .where("lease_owner", "=", owner)
    .execute();
}

/** Every consumer's cursor, for health and lag reporting. */
export async function listConsumers(
  db: Kysely<Database>,
): Promise<{ name: string; position: number; lease_owner: string | null }[]> {
  const rows = await db
    .selectFrom("consumer_cursors")
    .select(["name", "position", "lease_owner"])
    .orderBy("name")
    .execute();
  return rows.map((row) => ({ name: row.name, position: Number(row.position), lease_owner: row.lease_owner }));
}
