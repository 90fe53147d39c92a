import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  AlertList,
  AlertListQuery,
  AlertSettings,
  KillSwitchState,
  ReadAllAlertsRequest,
  UnreadCount,
} from "../../lib/defix/alerts";
import { VaultId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "../kernel/errors";
import { defineRoute, type HandlerInput, type ResponseDoc, type Route, type RouteDef, STREAMED } from "../kernel/route";
import type { AlertService } from "../notify/alerts/service";
import { requireActor, requireVaultRole, visibleVaults } from "./auth";
import { openGuardedStream, type StreamDeps } from "./intent-streams";

const TAG = "Alerts";
const VaultParams = z.strictObject({ vault_id: VaultId });
const AlertParams = z.strictObject({ alert_id: z.uuid() });
const PAGE = 200;

/** The vaults a request covers: the one asked for (role checked) or every visible one. */
async function vaultsOf(request: FastifyRequest, vaultId: string | undefined): Promise<string[]> {
  if (vaultId !== undefined) return [(await requireVaultRole(request, vaultId, "VIEW_ONLY")).vault_id];
  return (await visibleVaults(request)).map((grant) => grant.vault_id);
}

/**
 * Alert changes of the caller's vaults as SSE (`event: alert`, data = the AlertChange, no id: a client
 * refetches the list on reconnect). Read by alert-change position; woken by the alert feed (this process's
 * changes, other processes' by PostgreSQL NOTIFY, a backstop tick) and the heartbeat.
 */
async function streamAlerts(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: StreamDeps,
  alerts: AlertService,
  vaultIds: Set<string>,
): Promise<void> {
  let lastSent = await alerts.head();
  let running = false;
  let again = false;
  const stream = await openGuardedStream(request, reply, deps, vaultIds, () => pump());
  const unsubscribe = alerts.subscribe(() => pump());
  stream.onClose(unsubscribe);
  function pump(): void {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void drain()
      .catch((error: unknown) => {
        request.log.error({ err: error }, "alert stream failed");
        stream.close();
      })
      .finally(() => {
        running = false;
        if (again && !stream.isClosed) {
          again = false;
          pump();
        }
      });
  }
  async function drain(): Promise<void> {
    while (!stream.isClosed) {
      const page = await alerts.changesAfter(lastSent, PAGE);
      for (const change of page) {
        lastSent = change.position;
        if (vaultIds.has(change.alert.vault_id) && !stream.isClosed) {
          stream.send({ event: "alert", data: change });
        }
      }
      if (page.length < PAGE) return;
    }
  }
}

/** An alert route: its tag, 403/404, and a 200 answer with `response`; `run` returns the body. */
function alertRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  spec: Omit<RouteDef<P, Q, B>, "tag" | "handler" | "responses" | "errors"> & {
    response: ResponseDoc;
    run(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
  },
): Route {
  const { response, run, ...rest } = spec;
  return defineRoute<P, Q, B>({
    ...rest,
    tag: TAG,
    responses: { 200: response },
    errors: [403, 404],
    async handler(input) {
      return { status: 200, body: await run(input) };
    },
  });
}

export function alertRoutes(alerts: AlertService, deps: StreamDeps) {
  /** The caller's unread count over every vault they see (what the bell shows). */
  const unreadOf = async (subject: string, vaultIds: readonly string[]) => ({
    unread: (await alerts.list({ subject, vaultIds, limit: 1 })).unread,
  });
  return [
    // GET /defix/alerts – the caller's vaults' alerts, newest first, with per-user read flags
    alertRoute({
      method: "GET",
      url: "/defix/alerts",
      operationId: "listAlerts",
      summary: "List alerts",
      description:
        "Alerts of the vaults the caller holds a role on (or the one `vault_id`), newest first. `is_read` and `unread` are the caller's own. `state`: open or resolved; `unread=true`: only unread. Pages of `limit` (≤ 100); pass `next_cursor` as `cursor` for the next.",
      query: AlertListQuery,
      response: { description: "A page of alerts", schema: AlertList },
      async run({ request, query }) {
        const actor = requireActor(request);
        const vaultIds = await vaultsOf(request, query.vault_id);
        return alerts.list({
          subject: actor.subject,
          vaultIds,
          state: query.state,
          unread: query.unread === undefined ? undefined : query.unread === "true",
          cursor: query.cursor === undefined ? undefined : Number(query.cursor),
          limit: query.limit,
        });
      },
    }),
    // GET /defix/alerts/stream – live alert changes (SSE)
    defineRoute({
      method: "GET",
      url: "/defix/alerts/stream",
      operationId: "streamAlerts",
      summary: "Live alert changes (SSE)",
      description:
        "Server-Sent Events: `event: alert`, data = an AlertChange (`{position, change: raised|resolved, at, alert}`) of the caller's vaults, from when the stream opened; no `id` (refetch `GET /defix/alerts` after a reconnect). Roles are re-checked as on `/defix/stream`; open streams per caller are capped (429 TOO_MANY_STREAMS).",
      tag: TAG,
      query: z.strictObject({ vault_id: VaultId.optional() }),
      responses: { 200: { description: "An endless event stream", isEventStream: true } },
      errors: [403, 404],
      async handler({ request, reply, query }) {
        const vaultIds = await vaultsOf(request, query.vault_id);
        await streamAlerts(request, reply, deps, alerts, new Set(vaultIds));
        return STREAMED;
      },
    }),
    // POST /defix/alerts/:alert_id/read – mark one alert read for the caller
    alertRoute({
      method: "POST",
      url: "/defix/alerts/:alert_id/read",
      operationId: "markAlertRead",
      summary: "Mark an alert read",
      params: AlertParams,
      response: { description: "The caller's unread count after", schema: UnreadCount },
      async run({ request, params }) {
        const actor = requireActor(request);
        const alert = await alerts.get(params.alert_id);
        // Someone else's alert answers like a missing one: ids do not reveal other vaults' alerts.
        const visible = await vaultsOf(request, undefined);
        if (alert === null || !visible.includes(alert.vault_id)) {
          throw new DomainError(ErrorCode.NOT_FOUND, "No such alert");
        }
        await alerts.markRead(alert.alert_id, actor.subject);
        return await unreadOf(actor.subject, visible);
      },
    }),
    // POST /defix/alerts/read-all – mark every alert so far read (the caller's vaults, or one)
    alertRoute({
      method: "POST",
      url: "/defix/alerts/read-all",
      operationId: "markAllAlertsRead",
      summary: "Mark all alerts read",
      body: ReadAllAlertsRequest,
      response: { description: "The caller's unread count after", schema: UnreadCount },
      async run({ request, body }) {
        const actor = requireActor(request);
        const vaultIds = await vaultsOf(request, body.vault_id);
        await alerts.markAllRead(actor.subject, vaultIds);
        return await unreadOf(actor.subject, await vaultsOf(request, undefined));
      },
    }),
    // GET /defix/vaults/:vault_id/alert-settings – the vault's thresholds (managers)
    alertRoute({
      method: "GET",
      url: "/defix/vaults/:vault_id/alert-settings",
      operationId: "getAlertSettings",
      summary: "A vault's alert thresholds",
      description: "The effective values: what the primary manager stored over the defaults.",
      params: VaultParams,
      response: { description: "Thresholds", schema: AlertSettings },
      async run({ request, params }) {
        await requireVaultRole(request, params.vault_id, "SECONDARY_MANAGER");
        return await alerts.settings(params.vault_id);
      },
    }),
    // PUT /defix/vaults/:vault_id/alert-settings – replace the thresholds (primary manager)
    alertRoute({
      method: "PUT",
      url: "/defix/vaults/:vault_id/alert-settings",
      operationId: "putAlertSettings",
      summary: "Set a vault's alert thresholds",
      description: "Omitted fields take their defaults. Only the vault's primary manager may change them.",
      params: VaultParams,
      body: AlertSettings,
      response: { description: "The stored thresholds", schema: AlertSettings },
      async run({ request, params, body }) {
        const grant = await requireVaultRole(request, params.vault_id, "PRIMARY_MANAGER");
        const actor = requireActor(request);
        return await alerts.putSettings(grant.vault_id, body, actor.subject);
      },
    }),
    // PUT /defix/vaults/:vault_id/kill-switch-state – the strategy runner reports its kill switch
    alertRoute({
      method: "PUT",
      url: "/defix/vaults/:vault_id/kill-switch-state",
      operationId: "reportKillSwitch",
      logLevel: "warn",
      summary: "Report the runner's kill switch (service)",
      description:
        "The strategy runner owns the kill switch; it reports each change (and every vault's state at its start) here with its service token. Engaged raises KILL_SWITCH_ENGAGED, released resolves it. Service identities only.",
      params: VaultParams,
      body: KillSwitchState,
      response: { description: "Recorded", schema: KillSwitchState },
      async run({ request, params, body }) {
        const grant = await requireVaultRole(request, params.vault_id, "SECONDARY_MANAGER");
        if (!grant.isService) throw new DomainError(ErrorCode.FORBIDDEN, "Only the strategy runner reports this");
        await alerts.reportKillSwitch(grant.vault_id, body.engaged);
        return body;
      },
    }),
  ];
}
