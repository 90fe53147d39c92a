import { z } from "zod";
import { AuthSigning, Intent, type IntentError, Plan } from "../../lib/defix";

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
