import { z } from "zod";
import { AuthSigning, DecimalString, Hex, Intent, type IntentError } from "../../lib/defix";

/** What the engine executes: one entry per hook, in order, as the vault's `executeHooks` takes them. */
export const Plan = z.object({
  size: DecimalString,
  hooks: z.array(Hex),
  hook_args: z.array(Hex),
  amounts: z.array(DecimalString),
  min_outputs: z.array(DecimalString),
  proofs: z.array(z.array(Hex)),
  /** Outputs the eth_call simulation returned, for the event log. */
  simulated_outputs: z.array(DecimalString),
  gas_limit: DecimalString,
});
export type Plan = z.infer<typeof Plan>;

/**
 * The intent projection with the fields the engine needs but the wire `Intent` does not show.
 * Built only by `applyEvent` from the event log.
 */
export const IntentRecord = Intent.extend({
  auth_signing: AuthSigning,
  plan: Plan.nullable(),
  signer: z.string().nullable(),
  execution_id: z.string().nullable(),
  waiting_reason: z.string().nullable(),
});
export type IntentRecord = z.infer<typeof IntentRecord>;

export type IntentErrorValue = z.infer<typeof IntentError>;

/** Strip the engine-only fields for the API. */
export function toIntent(record: IntentRecord): Intent {
  const { auth_signing: _a, plan: _p, signer: _s, execution_id: _e, waiting_reason: _w, ...intent } = record;
  return intent;
}
