import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { IntentId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { EventsQuery, FillList, IntentEventList, TxAttemptList } from "../../lib/defix/events";
import { countAttempts, toV01Events, V01EventList } from "../../lib/defix/events-v01";
import { Intent, IntentList, isTerminalState, ListIntentsQuery } from "../../lib/defix/intents";
import { SubmitIntentBody } from "../../lib/defix/refinements";
import { parseSizeExpr, SizeExprError } from "../domain/size-expr";
import { DomainError } from "../kernel/errors";
import { defineRoute, STREAMED } from "../kernel/route";
import { grantFor, requireActor, requireVaultRole, visibleVaults } from "./auth";
import { type StreamDeps, streamIntentEvents } from "./intent-streams";
import type { Actor } from "./ports";
import { wantsEventStream } from "./sse";

const IntentParams = z.strictObject({ id: IntentId });
const TAG = "Intents";

/** The Actor the intent core records: who, and whether a person or the strategy service. */
export function serviceActor(request: FastifyRequest): Actor {
  const { subject, kind } = requireActor(request);
  return { subject, kind };
}

/** An unparseable `size_expr` is bad input now, not an ABORTED intent later. */
export function assertSizeExprParses(sizeExpr: string): void {
  try {
    parseSizeExpr(sizeExpr);
  } catch (error) {
    if (!(error instanceof SizeExprError)) throw error;
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `Invalid body.action_config.size_expr: ${error.message}`, {
      issues: [
        {
          location: "body",
          path: "action_config.size_expr",
          code: ErrorCode.SIZE_EXPR_INVALID,
          message: error.message,
        },
      ],
    });
  }
}

/** The intent, if the caller may see it. Another vault's intent is a 404 too, so ids don't leak. */
async function loadVisibleIntent(request: FastifyRequest, deps: StreamDeps, id: string): Promise<Intent> {
  const intent = await deps.intents.get(id);
  const grant = intent ? await grantFor(requireActor(request), intent.vault_id, request.server.access.directory) : null;
  if (!intent || !grant) throw new DomainError(ErrorCode.INTENT_NOT_FOUND, `Intent ${id} was not found`);
  return intent;
}

export function intentRoutes(deps: StreamDeps) {
  return [
    // POST /defix/intents – submit an intent (idempotent on vault + action + config hash)
    defineRoute({
      method: "POST",
      url: "/defix/intents",
      operationId: "submitIntent",
      summary: "Submit an intent",
      description:
        "Validates and persists an intent. A submit whose vault, action and canonical config hash match a live intent returns that intent with 200 instead of creating a second one. With `refinement_id` (from POST /defix/intents/refine, for the same intent) the intent executes exactly that refinement's plan: refused with 409 REFINEMENT_STALE when it expired or the vault's state moved beyond its tolerance (see GET /defix/refinements/{id}), 409 CONFLICT when another intent used it or an identical intent is live; if the state moves between this submit and planning, the intent ends FAILED with REFINEMENT_STALE. A retry of the same refined submit answers the intent it created. Needs a manager role on the vault or the strategy-runner service identity. Submits per vault are limited per minute (429 RATE_LIMITED with Retry-After).",
      tag: TAG,
      body: SubmitIntentBody,
      responses: {
        201: { description: "Created", schema: Intent },
        200: { description: "An identical live intent already exists; it is returned", schema: Intent },
      },
      errors: [403, 404, 409],
      async handler({ request, body }) {
        assertSizeExprParses(body.action_config.size_expr);
        await requireVaultRole(request, body.vault_id, "SECONDARY_MANAGER");
        await request.server.limiter.submit(request, body.vault_id);
        const { refinement_id: refinementId, ...input } = body;
        const { intent, created } = await deps.intents.submit(input, serviceActor(request), { refinementId });
        return { status: created ? 201 : 200, body: intent };
      },
    }),
    // GET /defix/intents – newest first, cursor-paginated, with facet counts, over the caller's vaults
    defineRoute({
      method: "GET",
      url: "/defix/intents",
      operationId: "listIntents",
      summary: "List intents",
      description:
        "Newest first; pass `next_cursor` back as `cursor` for the next page. Only vaults the caller holds a role on are included. Repeat `state` to filter by several states.",
      tag: TAG,
      query: ListIntentsQuery,
      responses: { 200: { description: "A page of intents with facet counts", schema: IntentList } },
      // Answered as bytes: first pages come from a cache per (visible vaults, filters) that every commit
      // clears; the visible vaults are the caller's roles of now, so the cache never widens what one sees.
      errors: [403, 404],
      async handler({ request, query }) {
        const vaultIds = query.vault_id
          ? [(await requireVaultRole(request, query.vault_id, "VIEW_ONLY")).vault_id]
          : (await visibleVaults(request)).map((grant) => grant.vault_id);
        return { status: 200, json: await deps.intents.listSerialized(query, vaultIds) };
      },
    }),
    // GET /defix/intents/:id – the intent's current projection
    defineRoute({
      method: "GET",
      url: "/defix/intents/:id",
      operationId: "getIntent",
      summary: "Get an intent",
      tag: TAG,
      params: IntentParams,
      responses: { 200: { description: "The intent", schema: Intent } },
      errors: [404],
      async handler({ request, params }) {
        // The answer's bytes come from a cache by id (dropped by every commit to the intent); the
        // caller's role on its vault is checked on every request, hit or miss.
        const intent = await deps.intents.getSerialized(params.id);
        const grant = intent
          ? await grantFor(requireActor(request), intent.vault_id, request.server.access.directory)
          : null;
        if (!intent || !grant) throw new DomainError(ErrorCode.INTENT_NOT_FOUND, `Intent ${params.id} was not found`);
        return { status: 200, json: intent.body };
      },
    }),
    // POST /defix/intents/:id/cancel – cancel before broadcast
    defineRoute({
      method: "POST",
      url: "/defix/intents/:id/cancel",
      operationId: "cancelIntent",
      summary: "Cancel an intent",
      description:
        "Cancels an intent that has not broadcast a transaction yet: it becomes CANCELED at once. While EXECUTING a transaction is already out and may still mine, so the cancel is refused with 409 INTENT_EXECUTING and the receipt decides (COMPLETED or FAILED): an intent whose transaction mines is never reported CANCELED. A terminal intent answers 409 INTENT_TERMINAL.",
      tag: TAG,
      params: IntentParams,
      responses: { 200: { description: "The intent after the cancel request", schema: Intent } },
      errors: [403, 404, 409],
      async handler({ request, params }) {
        const intent = await loadVisibleIntent(request, deps, params.id);
        await requireVaultRole(request, intent.vault_id, "SECONDARY_MANAGER");
        return { status: 200, body: await deps.intents.cancel(intent.id, serviceActor(request)) };
      },
    }),
    // GET /defix/intents/:id/events – the event log as JSON, or live as SSE
    defineRoute({
      method: "GET",
      url: "/defix/intents/:id/events",
      operationId: "listIntentEvents",
      summary: "Intent events (JSON or SSE)",
      description:
        "Events with `seq_num > after_seq`, gapless and ordered. `format=v0.1` answers the first OMS page's view of the same events, `{events: [{timestamp, event_type, details}], last_seq}`: `submitted`, `processing` (`{attempt, tx_hash}` per signed attempt), then `completed` (`{tx_hash, gas_used}`), `failed` (`{error}`) or `cancelled`; the other events have no v0.1 counterpart and are left out (JSON only). With `Accept: text/event-stream` the same URL streams them live: each frame is `id: <seq_num>`, `event: intent_event`, `data: <event JSON>`; a reconnect with `Last-Event-ID` resumes after that seq; `: heartbeat` comments keep the connection alive; the stream ends after the terminal event. The caller's role is re-checked while the stream is open: when it is gone, or at the token's expiry, a last `event: stream_closed` frame (`{code, message}`, code FORBIDDEN or TOKEN_EXPIRED) ends it. Open streams per caller are capped (429 TOO_MANY_STREAMS).",
      tag: TAG,
      params: IntentParams,
      query: EventsQuery,
      responses: {
        200: {
          description: "Events after `after_seq` (with `format=v0.1`: `{timestamp, event_type, details}` entries)",
          schema: z.union([IntentEventList, V01EventList]),
          isEventStream: true,
        },
      },
      errors: [404, 429],
      async handler({ request, reply, params, query }) {
        const intent = await loadVisibleIntent(request, deps, params.id);
        if (wantsEventStream(request)) {
          const afterSeq = lastEventId(request) ?? query.after_seq;
          const cursor = {
            id: intent.id,
            vault_id: intent.vault_id,
            seq_num: intent.seq_num,
            isTerminal: isTerminalState(intent.state),
          };
          await streamIntentEvents(request, reply, deps, cursor, afterSeq);
          return STREAMED;
        }
        const events = await deps.intents.events(intent.id, query.after_seq, query.limit);
        const lastSeq = events.at(-1)?.seq_num ?? query.after_seq;
        if (query.format === "v0.1") {
          const earlier = query.after_seq > 0 ? await deps.intents.events(intent.id, 0, query.after_seq) : [];
          return { status: 200, body: { events: toV01Events(events, countAttempts(earlier)), last_seq: lastSeq } };
        }
        return { status: 200, body: { events, last_seq: lastSeq } };
      },
    }),
    // GET /defix/intents/:id/fills – on-chain execution evidence
    defineRoute({
      method: "GET",
      url: "/defix/intents/:id/fills",
      operationId: "listIntentFills",
      summary: "Intent fills",
      description: "Fields that depend on the receipt (gas, amounts, mined_at) are null until it is in.",
      tag: TAG,
      params: IntentParams,
      responses: { 200: { description: "Fills", schema: FillList } },
      errors: [404],
      async handler({ request, params }) {
        const intent = await loadVisibleIntent(request, deps, params.id);
        return { status: 200, body: { fills: await deps.intents.fills(intent.id) } };
      },
    }),
    // GET /defix/intents/:id/attempts – every signed transaction, replacements included
    defineRoute({
      method: "GET",
      url: "/defix/intents/:id/attempts",
      operationId: "listIntentTxAttempts",
      summary: "Intent transaction attempts",
      tag: TAG,
      params: IntentParams,
      responses: { 200: { description: "Transaction attempts", schema: TxAttemptList } },
      errors: [404],
      async handler({ request, params }) {
        const intent = await loadVisibleIntent(request, deps, params.id);
        return { status: 200, body: { attempts: await deps.intents.attempts(intent.id) } };
      },
    }),
  ];
}

/** `Last-Event-ID` wins over `after_seq`: it is what the browser sends on an automatic reconnect. */
function lastEventId(request: FastifyRequest): number | undefined {
  const header = request.headers["last-event-id"];
  if (header === undefined) return undefined;
  const seq = typeof header === "string" && /^(0|[1-9][0-9]{0,9})$/.test(header) ? Number(header) : Number.NaN;
  if (Number.isNaN(seq)) throw new DomainError(ErrorCode.BAD_REQUEST, "Last-Event-ID must be a seq_num");
  return seq;
}
