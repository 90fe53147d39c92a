import { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import type { VaultSummary } from "../../lib/defix/vaults";
import { VaultList } from "../../lib/defix/vaults";
import { defineRoute, STREAMED } from "../kernel/route";
import { requireVaultRole, visibleVaults } from "./auth";
import { type StreamDeps, streamVaultEvents } from "./intent-streams";

export function vaultRoutes(deps: StreamDeps) {
  return [
    // GET /defix/vaults – the vaults the caller holds a role on, with that role
    defineRoute({
      method: "GET",
      url: "/defix/vaults",
      operationId: "listVaults",
      summary: "List the caller's vaults",
      description: "Roles come from the chain's registry (primary/secondary manager) and the VIEW_ONLY list.",
      tag: "Vaults",
      responses: { 200: { description: "Vaults with the caller's role", schema: VaultList } },
      errors: [503],
      async handler({ request }) {
        const { directory } = request.server.access;
        const grants = await visibleVaults(request);
        const vaults = await Promise.all(
          grants.map(async (grant): Promise<VaultSummary | null> => {
            const vault = directory.vault(grant.vault_id);
            if (!vault) return null;
            const managers = await directory.managers(grant.vault_id);
            return {
              vault_id: vault.vault_id,
              chain_id: vault.chain_id,
              address: vault.address as VaultSummary["address"],
              name: vault.name,
              symbol: vault.symbol,
              role: grant.role,
              primary_manager: (managers?.primary ?? null) as VaultSummary["primary_manager"],
              secondary_managers: (managers?.secondaries ?? []) as VaultSummary["secondary_managers"],
            };
          }),
        );
        return { status: 200, body: { vaults: vaults.filter((vault) => vault !== null) } };
      },
    }),
    // GET /defix/stream – SSE of every intent event of the caller's vaults (live history)
    defineRoute({
      method: "GET",
      url: "/defix/stream",
      operationId: "streamIntentEvents",
      summary: "Live events of the caller's vaults (SSE)",
      description:
        "Server-Sent Events: `event: intent_event`, `id: <intent_id>:<seq_num>`, data = the event plus its `vault_id`. Covers the vaults visible when the stream opened (or the one `vault_id`). No replay: after a reconnect, refetch the list and listen again. Roles are re-checked while the stream is open: events of a vault whose role is lost stop, and once none is left (or at the token's expiry) a last `event: stream_closed` frame (`{code, message}`, code FORBIDDEN or TOKEN_EXPIRED) ends the stream. Open streams per caller are capped (429 TOO_MANY_STREAMS).",
      tag: "Intents",
      query: z.strictObject({ vault_id: VaultId.optional() }),
      responses: { 200: { description: "An endless event stream", isEventStream: true } },
      errors: [403, 404],
      async handler({ request, reply, query }) {
        const grants = query.vault_id
          ? [await requireVaultRole(request, query.vault_id, "VIEW_ONLY")]
          : await visibleVaults(request);
        await streamVaultEvents(request, reply, deps, new Set(grants.map((grant) => grant.vault_id)));
        return STREAMED;
      },
    }),
  ];
}
