import type { Kysely } from "kysely";
import type { WebhookEndpoint } from "../../../lib/defix/webhooks";
import type { WebhookEndpointsTable, WebhookTables } from "./schema";

export type EndpointRow = WebhookEndpointsTable;

export function endpointToWire(row: EndpointRow): WebhookEndpoint {
  return {
    webhook_id: row.id,
    vault_id: row.vault_id,
    url: row.url,
    description: row.description,
    enabled: row.enabled === 1,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at,
    event_types: JSON.parse(row.event_types) as WebhookEndpoint["event_types"],
    alert_kinds: JSON.parse(row.alert_kinds) as WebhookEndpoint["alert_kinds"],
    consecutive_failures: row.consecutive_failures,
    last_success_at: row.last_success_at,
    last_failure_at: row.last_failure_at,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const numeric = (row: EndpointRow): EndpointRow => ({
  ...row,
  enabled: Number(row.enabled),
  start_position: Number(row.start_position),
  start_alert_position: Number(row.start_alert_position),
  consecutive_failures: Number(row.consecutive_failures),
});

/** The only module that reads or writes `webhook_endpoints`. */
export function endpointsRepo(db: Kysely<WebhookTables>) {
  return {
    async insert(row: EndpointRow): Promise<void> {
      await db.insertInto("webhook_endpoints").values(row).execute();
    },
    async get(id: string): Promise<EndpointRow | null> {
      const row = await db.selectFrom("webhook_endpoints").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : numeric(row);
    },
    async listByVault(vaultId: string): Promise<EndpointRow[]> {
      const rows = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("vault_id", "=", vaultId)
        .orderBy("created_at", "asc")
        .orderBy("id", "asc")
        .execute();
      return rows.map(numeric);
    },
    async countByVault(vaultId: string): Promise<number> {
      const row = await db
        .selectFrom("webhook_endpoints")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("vault_id", "=", vaultId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** Enabled endpoints of the given vaults (the dispatcher's fan-out). */
    async enabledFor(vaultIds: readonly string[]): Promise<EndpointRow[]> {
      if (vaultIds.length === 0) return [];
      const rows = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("enabled", "=", 1)
        .where("vault_id", "in", vaultIds)
        .execute();
      return rows.map(numeric);
    },
    async update(id: string, changes: Partial<Omit<EndpointRow, "id" | "vault_id">>): Promise<EndpointRow | null> {
      const row = await db
        .updateTable("webhook_endpoints")
        .set(changes)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? null : numeric(row);
    },
    /** Removes the endpoint with its deliveries and their attempts, in one transaction. */
    async remove(id: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom("webhook_attempts").where("endpoint_id", "=", id).execute();
        await trx.deleteFrom("webhook_deliveries").where("endpoint_id", "=", id).execute();
        const result = await trx.deleteFrom("webhook_endpoints").where("id", "=", id).executeTakeFirst();
        return Number(result.numDeletedRows) === 1;
      });
    },
  };
}
