import { z } from "zod";
import { Address, DecimalString, Hex, IsoDateTime } from "./common";
import { APPROVAL_STATUSES } from "./states";

/**
 * An intent's approval state and quorum (issue 15), in the shape of the Privy Intents API's authorization
 * object. Apart from `approvals.ts` so `intents.ts` can carry it without an import cycle.
 */
export const ApprovalStatus = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const AuthorizationMember = z.object({
  type: z.enum(["manager", "address"]),
  address: Address,
  signed_at: IsoDateTime.nullable(),
});
export type AuthorizationMember = z.infer<typeof AuthorizationMember>;

/** An intent's quorum, fixed when it started to wait (the seed's authorization object). */
export const Authorization = z.object({
  display_name: z.string(),
  policy_version: z.number().int().min(1),
  members: z.array(AuthorizationMember),
  threshold: z.number().int().min(1),
  tolerance_bps: z.number().int(),
  /** The rule(s) that caught the intent, in words. */
  caught_by: z.array(z.string()),
  /** The evaluated size members sign, and the block it was read at. */
  size: DecimalString,
  size_block: z.number().int().nonnegative(),
});
export type Authorization = z.infer<typeof Authorization>;

export { signedCount } from "./states";

/** The payload of an APPROVAL_SIGNED event. */
export const ApprovalSignedPayload = z.looseObject({
  member: Address,
  signature: Hex,
  signed_at: IsoDateTime,
  size: DecimalString,
  size_block: z.number().int(),
  policy_version: z.number().int(),
  /** Submitted by (token subject), when not the member itself (a contract wallet's owner). */
  submitted_by: z.string(),
});
