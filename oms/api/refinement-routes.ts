import { z } from "zod";
import { IntentId } from "../../lib/defix/common";
import { ErrorCode } from "../../lib/defix/errors";
import { SubmitIntentRequest } from "../../lib/defix/intents";
import { Refinement, RefinementId, RefinementStatus } from "../../lib/defix/refinements";
import { DomainError } from "../kernel/errors";
import { defineRoute } from "../kernel/route";
import { grantFor, requireActor, requireVaultRole } from "./auth";
import { assertSizeExprParses, serviceActor } from "./intents-routes";
import type { IntentService } from "./ports";

const TAG = "Refinements";

export function refinementRoutes(deps: { intents: IntentService }) {
  return [
    // POST /defix/intents/refine – plan an intent at the head block without storing it or signing
    defineRoute({
      method: "POST",
      url: "/defix/intents/refine",
      operationId: "refineIntent",
      summary: "Refine an intent (plan it, store nothing, sign nothing)",
      description:
        "Same body and the same checks as submit (auth, vault role, account mode, bounds, the merkle proof against the on-chain root). Plans the intent against the head block (`block_number`): evaluated size with the vault state it read, the hook calls in order with decoded arguments, calldata, minimum outputs, simulated outputs, gas estimate and its cost in ETH at the current max fee, the session key that would sign; when the plan would fail, `error` carries the same code and hint an execution would get (with the decoded revert). No intent is stored, nothing is signed or sent. Submit with `refinement_id` to execute exactly this plan. Refinements expire after 10 minutes; a caller holds at most 50 unexpired ones (429 TOO_MANY_REFINEMENTS). Counted against the vault's submit limit.",
      tag: TAG,
      body: SubmitIntentRequest,
      responses: { 201: { description: "The refinement (its `outcome` says whether it planned)", schema: Refinement } },
      errors: [403, 404, 429],
      async handler({ request, body }) {
        assertSizeExprParses(body.action_config.size_expr);
        await requireVaultRole(request, body.vault_id, "SECONDARY_MANAGER");
        await request.server.limiter.submit(request, body.vault_id);
        return { status: 201, body: await deps.intents.refine(body, serviceActor(request)) };
      },
    }),
    // POST /defix/intents/:id/refine – "Refine now": plan a stored, non-terminal intent at the head
    defineRoute({
      method: "POST",
      url: "/defix/intents/:id/refine",
      operationId: "refineStoredIntent",
      summary: "Refine a stored intent now",
      description:
        "Plans a non-terminal intent as it stands (its config, proofs and deadline) against the head block, like POST /defix/intents/refine: what it would do if it were planned now. Nothing about the intent changes. A terminal intent answers 409 INTENT_TERMINAL; another vault's intent is a 404.",
      tag: TAG,
      params: z.strictObject({ id: IntentId }),
      responses: { 201: { description: "The refinement", schema: Refinement } },
      errors: [403, 404, 409, 429],
      async handler({ request, params }) {
        const intent = await deps.intents.get(params.id);
        const grant = intent
          ? await grantFor(requireActor(request), intent.vault_id, request.server.access.directory)
          : null;
        if (!intent || !grant) throw new DomainError(ErrorCode.INTENT_NOT_FOUND, `Intent ${params.id} was not found`);
        await requireVaultRole(request, intent.vault_id, "SECONDARY_MANAGER");
        await request.server.limiter.submit(request, intent.vault_id);
        return { status: 201, body: await deps.intents.refineIntent(intent.id, serviceActor(request)) };
      },
    }),
    // GET /defix/refinements/:id – the stored refinement and whether it is still fresh at the head
    defineRoute({
      method: "GET",
      url: "/defix/refinements/:id",
      operationId: "getRefinement",
      summary: "Get a refinement and its freshness",
      description:
        "`freshness.is_fresh` is false once the refinement expired, the vault's hooks root changed, or any vault-state figure it read (free assets, total assets, the target position's assets and shares) moved by more than `tolerance_bps` (10 bps) relative to the refined value at the head block; `changed` lists them. A submit with a stale refinement is refused with 409 REFINEMENT_STALE. Another vault's refinement is a 404.",
      tag: TAG,
      params: z.strictObject({ id: RefinementId }),
      responses: { 200: { description: "The refinement with its freshness", schema: RefinementStatus } },
      errors: [404],
      async handler({ request, params }) {
        const refinement = await deps.intents.refinement(params.id);
        const grant = refinement
          ? await grantFor(requireActor(request), refinement.vault_id, request.server.access.directory)
          : null;
        if (!refinement || !grant) {
          throw new DomainError(ErrorCode.REFINEMENT_NOT_FOUND, `Refinement ${params.id} was not found`);
        }
        return { status: 200, body: refinement };
      },
    }),
  ];
}
