import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import type { VaultSummary } from "../../lib/defix/vaults";
import { VaultList } from "../../lib/defix/vaults";
import { DomainError } from "../kernel/errors";
import { defineRoute, STREAMED } from "../kernel/route";
import { requireVaultRole, visibleVaults } from "./auth";
import { type StreamDeps, type StreamStart, streamVaultEvents } from "./intent-streams";

const POSITION = /^(0|[1-9][0-9]{0,15})$/;
/** The ids this stream sent before it was by position (`intent_id:seq_num`): such a client must refetch. */
const LEGACY_ID = /^[^:]+:[0-9]+$/;

/** `Last-Event-ID` (what a browser sends on an automatic reconnect) wins over `?after=`. */
function streamStart(request: FastifyRequest, after: number | undefined): StreamStart {
  const header = request.headers["last-event-id"];
  if (header === undefined) return after === undefined ? { after: "head" } : { after };
  if (typeof header === "string" && POSITION.test(header)) return { after: Number(header) };
  if (typeof header === "string" && LEGACY_ID.test(header)) {
    return { after: "reset", reason: "Last-Event-ID is not an event position" };
  }
  throw new DomainError(ErrorCode.BAD_REQUEST, "Last-Event-ID must be an event position");
}

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
              account_mode: vault.account_mode ?? "OMS",
              supported_modes: [...(vault.supported_modes ?? ["OMS"])],
              key_holder: (vault.key_holder?.toLowerCase() ?? null) as VaultSummary["key_holder"],
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
        "Server-Sent Events: `event: intent_event`, `id: <position>` (the event's global, gapless position), data = the event plus its `vault_id`, in position order. Covers the vaults visible when the stream opened (or the one `vault_id`). Without `Last-Event-ID` or `after` it starts at the current head (live only); with either it first sends every event after that position, then live ones, never twice. A position beyond the head (or a non-position id) cannot be resumed: the stream sends `event: reset` (`{head, message}`, id = the head) and goes on from the head; refetch then. Roles are re-checked while the stream is open: events of a vault whose role is lost stop, and once none is left (or at the token's expiry) a last `event: stream_closed` frame (`{code, message}`, code FORBIDDEN or TOKEN_EXPIRED) ends the stream. Open streams per caller are capped (429 TOO_MANY_STREAMS).",
      tag: "Intents",
      query: z.strictObject({
        vault_id: VaultId.optional(),
        after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      }),
      responses: { 200: { description: "An endless event stream", isEventStream: true } },
      errors: [403, 404],
      async handler({ request, reply, query }) {
        const grants = query.vault_id
          ? [await requireVaultRole(request, query.vault_id, "VIEW_ONLY")]
          : await visibleVaults(request);
        const start = streamStart(request, query.after);
        await streamVaultEvents(request, reply, deps, new Set(grants.map((grant) => grant.vault_id)), start);
        return STREAMED;
      },
    }),
  ];
}
