import type { Kysely } from "kysely";
import type { Database } from "./schema";

/**
 * A named lease that one OMS process holds at a time (every process of a deployment shares the database): taken
 * when free, expired or already this owner's; given back by its owner. A holder that dies loses it at expiry.
 */
export async function takeLease(
  db: Kysely<Database>,
  input: { name: string; owner: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const at = input.now.toISOString();
  const until = new Date(input.now.getTime() + input.leaseMs).toISOString();
  const row = await db
    .insertInto("leases")
    .values({ name: input.name, owner: input.owner, expires_at: until })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ owner: input.owner, expires_at: until })
        .where((eb) => eb.or([eb("leases.owner", "=", input.owner), eb("leases.expires_at", "<", at)])),
    )
    .returning(["owner"])
    .executeTakeFirst();
  return row?.owner === input.owner;
}

export async function releaseLease(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await db.deleteFrom("leases").where("name", "=", name).where("owner", "=", owner).execute();
}
