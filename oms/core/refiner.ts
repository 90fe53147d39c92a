import { randomUUID } from "node:crypto";
import { type Address, formatEther, maxUint256, zeroAddress } from "viem";
import type { Intent, SubmitIntent } from "../../lib/defix";
import { errorHint } from "../../lib/defix/error-hints";
import { ErrorCode } from "../../lib/defix/errors";
import {
  MAX_REFINEMENTS_PER_SUBJECT,
  REFINEMENT_TTL_SECONDS,
  type Refinement,
  type RefinementStatus,
} from "../../lib/defix/refinements";
import {
  type DeploymentManifest,
  type ManifestVault,
  sessionKeyHolder,
  vaultAccountMode,
} from "../../lib/deployment/manifest";
import type { Fees } from "../chain/gateway";
import { configHash } from "../domain/config-hash";
import { hookCalls } from "../domain/hook-calls";
import { resolveDeadline, type SubmitLimits, validateSubmission } from "../domain/validate";
import { checkAuthSigning } from "../engine/auth-check";
import type { EngineDeps } from "../engine/deps";
import { executeHooksCalldata, type PlanFailure, type PlanOutcome, planIntent } from "../engine/planner";
import { refinementFreshness, vaultStateReading } from "../engine/refined-plan";
import { DomainError } from "../kernel/errors";
import {
  claimRefinement,
  getRefinement,
  insertRefinementBounded,
  oldestLiveExpiry,
  releaseRefinement,
} from "../store/refinements-repo";

export interface RefinerDeps {
  engine: EngineDeps;
  limits: SubmitLimits;
  defaultTtlSeconds: number;
}

export interface Refiner {
  /** Validates like submit, plans at the head block, stores and returns the refinement; nothing is signed or sent. */
  refine(input: SubmitIntent, subject: string): Promise<Refinement>;
  /** The stored refinement and whether it is still fresh at the head; null when unknown. */
  status(id: string): Promise<RefinementStatus | null>;
  /**
   * Submit with a refinement: checked (same intent, planned, unused, fresh), claimed for a new intent
   * id, then `create(id)` stores the intent. A retry of the same submit answers the intent it created.
   */
  submitRefined(
    id: string,
    input: SubmitIntent,
    create: (intentId: string) => Promise<{ intent: Intent; created: boolean }>,
    existing: (intentId: string) => Promise<Intent | null>,
  ): Promise<{ intent: Intent; created: boolean }>;
}

const stale = (message: string, details: unknown) => new DomainError(ErrorCode.REFINEMENT_STALE, message, details);

export function createRefiner(deps: RefinerDeps): Refiner {
  const { engine } = deps;
  const vaultOf = (vaultId: string): ManifestVault => {
    const vault = engine.manifest.vaults.find((v) => v.vault_id === vaultId);
    if (vault === undefined)
      throw new DomainError(ErrorCode.VAULT_NOT_FOUND, `vault ${vaultId} is not in this deployment`);
    return vault;
  };

  async function plan(input: SubmitIntent, vault: ManifestVault, signer: Address, block: bigint) {
    const root = await engine.chain.hooksRoot(vault.address, block);
    const auth = checkAuthSigning(engine.manifest, input, root);
    if (!auth.ok) {
      const failure = { state: "ABORTED" as const, code: auth.code, message: auth.message, revert: null };
      return { root, planned: { env: null, draft: null, ok: false, failure } satisfies PlanOutcome };
    }
    return { root, planned: await planIntent(engine, input, vault, signer, block) };
  }

  return {
    async refine(input, subject) {
      const vault = validateSubmission(input, engine.manifest, deps.limits);
      const now = engine.clock.now();
      resolveDeadline(input, now, deps.defaultTtlSeconds, deps.limits.maxDeadlineSeconds);
      const head = await engine.chain.blockNumber();
      const readiness = await engine.keys.readiness(vault.vault_id);
      const account = readiness.is_ready ? await engine.keys.signerFor(vault.vault_id) : null;
      const signer = (account?.address ?? readiness.session_key_address ?? null) as Address | null;
      // Without a key the simulation runs from the zero address and reverts InvalidSessionKey:
      // the refinement then carries SESSION_KEY_NOT_READY and its hint, as an execution would.
      const { root, planned } = await plan(input, vault, signer ?? zeroAddress, BigInt(head));
      const fees = planned.ok ? await engine.chain.fees() : null;
      const refinement = toRefinement({
        input,
        subject,
        vault,
        head,
        now,
        root,
        planned,
        fees,
        manifest: engine.manifest,
      });
      refinement.signer = {
        account_mode: vaultAccountMode(vault),
        session_key_address: signer === null ? null : (signer.toLowerCase() as Address),
        is_ready: account !== null,
        readiness_reason: readiness.reason,
      };
      const stored = await insertRefinementBounded(engine.db, refinement, now, MAX_REFINEMENTS_PER_SUBJECT);
      if (stored === "full") {
        const oldest = await oldestLiveExpiry(engine.db, subject, now);
        const retryAfter = oldest === null ? 1 : Math.max(1, Math.ceil((Date.parse(oldest) - now.getTime()) / 1000));
        throw new DomainError(
          ErrorCode.TOO_MANY_REFINEMENTS,
          `you hold ${MAX_REFINEMENTS_PER_SUBJECT} unexpired refinements; one expires in ${retryAfter} s`,
          { scope: "refinements", limit: MAX_REFINEMENTS_PER_SUBJECT, retry_after_s: retryAfter },
        );
      }
      return refinement;
    },

    async status(id) {
      const refinement = await getRefinement(engine.db, id);
      if (refinement === null) return null;
      return { ...refinement, freshness: await refinementFreshness(engine, refinement, vaultOf(refinement.vault_id)) };
    },

    async submitRefined(id, input, create, existing) {
      const refinement = await getRefinement(engine.db, id);
      if (refinement === null || refinement.vault_id !== input.vault_id) {
        throw new DomainError(ErrorCode.REFINEMENT_NOT_FOUND, `refinement ${id} was not found`);
      }
      if (refinement.action !== input.action || refinement.config_hash !== configHash(input)) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, "the intent differs from the one refined; refine it again");
      }
      if (refinement.intent_id !== null) {
        const used = await existing(refinement.intent_id);
        if (used !== null) return { intent: used, created: false };
        throw new DomainError(ErrorCode.CONFLICT, `refinement ${id} was already used`);
      }
      if (refinement.outcome !== "PLANNED" || refinement.plan === null) {
        throw new DomainError(
          ErrorCode.VALIDATION_FAILED,
          `refinement ${id} has no plan to execute (${refinement.error?.code ?? refinement.outcome}); fix the intent and refine again`,
          { refinement_error: refinement.error },
        );
      }
      const freshness = await refinementFreshness(engine, refinement, vaultOf(refinement.vault_id));
      if (freshness.is_expired) throw stale(`refinement ${id} expired at ${refinement.expires_at}`, freshness);
      if (!freshness.is_fresh) {
        const fields = freshness.changed.map((change) => change.field).join(", ");
        throw stale(`the vault's state changed since refinement ${id} (${fields}); refine again`, freshness);
      }
      const intentId = randomUUID();
      if (!(await claimRefinement(engine.db, id, intentId))) {
        throw new DomainError(ErrorCode.CONFLICT, `refinement ${id} was used by a concurrent submit`);
      }
      const result = await create(intentId).catch(async (error: unknown) => {
        await releaseRefinement(engine.db, id, intentId);
        throw error;
      });
      if (!result.created) {
        // An identical live intent answered: it runs its own plan, not this refinement's.
        await releaseRefinement(engine.db, id, intentId);
        throw new DomainError(
          ErrorCode.CONFLICT,
          `an identical intent ${result.intent.id} is live and runs its own plan; cancel it or wait for it to end`,
          { intent_id: result.intent.id },
        );
      }
      return result;
    },
  };
}

interface RefinementInput {
  input: SubmitIntent;
  subject: string;
  vault: ManifestVault;
  head: number;
  now: Date;
  root: `0x${string}`;
  planned: PlanOutcome;
  fees: Fees | null;
  manifest: DeploymentManifest;
}

function toRefinement(r: RefinementInput): Refinement {
  const { planned, manifest } = r;
  const calls = hookCalls(r.input, manifest);
  const draft = planned.draft;
  const plan = planned.ok ? planned.plan : null;
  const failure = planned.ok ? null : planned.failure;
  const hint = failure === null ? null : errorHint(failure.code);
  return {
    refinement_id: randomUUID(),
    vault_id: r.vault.vault_id,
    action: r.input.action,
    config_hash: configHash(r.input),
    requested_by: r.subject,
    block_number: r.head,
    created_at: r.now.toISOString(),
    expires_at: new Date(r.now.getTime() + REFINEMENT_TTL_SECONDS * 1000).toISOString(),
    outcome: failure === null ? "PLANNED" : failure.state,
    size: draft?.size ?? null,
    vault_state: planned.env === null ? null : vaultStateReading(planned.env, r.root),
    calls: calls.map((call, index) => {
      const amount = draft?.amounts[index];
      return {
        index,
        kind: call.kind,
        hook: call.hook,
        hook_name: call.kind === "deposit" ? "Deposit4626Hook" : "Redeem4626Hook",
        hook_args: call.hookArgs,
        yield_source: call.source,
        yield_source_symbol:
          manifest.contracts.yield_sources.find((s) => s.address.toLowerCase() === call.source.toLowerCase())?.symbol ??
          null,
        amount: amount === undefined || amount === maxUint256.toString() ? null : amount,
        min_output: draft?.min_outputs[index] ?? "0",
        simulated_output: plan?.simulated_outputs[index] ?? null,
      };
    }),
    to: sessionKeyHolder(manifest, r.vault),
    calldata: draft === null ? null : executeHooksCalldata(r.vault.strategy, draft),
    plan,
    gas: planned.ok && r.fees !== null ? gasOf(planned.gasEstimate, BigInt(planned.plan.gas_limit), r.fees) : null,
    signer: {
      account_mode: vaultAccountMode(r.vault),
      session_key_address: null,
      is_ready: false,
      readiness_reason: null,
    },
    error:
      failure === null || hint === null
        ? null
        : {
            code: failure.code,
            message: failure.message,
            title: hint.title,
            hint: hint.hint,
            revert: revertOf(failure.revert),
          },
    intent_id: null,
  };
}

const revertOf = (revert: PlanFailure["revert"]) =>
  revert === null ? null : { name: revert.name, args: [...revert.args], message: revert.message };

function gasOf(estimate: bigint, limit: bigint, fees: Fees): Refinement["gas"] {
  const cost = estimate * fees.maxFeePerGas;
  const maxCost = limit * fees.maxFeePerGas;
  return {
    estimate: estimate.toString(),
    limit: limit.toString(),
    max_fee_per_gas: fees.maxFeePerGas.toString(),
    cost_wei: cost.toString(),
    cost_eth: formatEther(cost),
    max_cost_wei: maxCost.toString(),
    max_cost_eth: formatEther(maxCost),
  };
}
