import { keccak256, toHex } from "viem";
import { z } from "zod";
import { Authorization } from "./authorization";
import { Address, DecimalString, Hex, IntentId, IsoDateTime, VaultId } from "./common";
import { IntentAction } from "./intents";
import { canonicalJson } from "./rpc-typed-data";

/**
 * Approval policies and quorum approvals (issue 15), in the shape of the Privy Intents API's
 * authorization quorum: `members[{type, address, signed_at}]`, `threshold`, `display_name`.
 */
const MAX_RULES = 16;
const MAX_NAMED_MEMBERS = 20;

/** Which intents need approval. Any matching rule catches the intent. */
export const ApprovalRule = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("always") }),
  z.strictObject({ kind: z.literal("action"), actions: z.array(IntentAction).min(1).max(3) }),
  /** Evaluated size (asset base units, after `size_expr`) strictly above `threshold`. */
  z.strictObject({ kind: z.literal("size_above"), threshold: DecimalString }),
  /** The intent's `target_address` or REBALANCE `to_yield_source` is one of these. */
  z.strictObject({ kind: z.literal("target"), addresses: z.array(Address).min(1).max(MAX_NAMED_MEMBERS) }),
]);
export type ApprovalRule = z.output<typeof ApprovalRule>;

export const ApprovalPolicy = z
  .strictObject({
    display_name: z.string().trim().min(1).max(80),
    rules: z.array(ApprovalRule).min(1).max(MAX_RULES),
    /** `managers`: the vault's managers at the time an intent waits (primary + secondaries). */
    members: z.strictObject({
      managers: z.boolean(),
      addresses: z.array(Address).max(MAX_NAMED_MEMBERS),
    }),
    threshold: z
      .number()
      .int()
      .min(1)
      .max(MAX_NAMED_MEMBERS + 10),
    /** Size drift (basis points of the approved size) an approval still covers. */
    tolerance_bps: z.number().int().min(0).max(10_000),
  })
  .refine((policy) => policy.members.managers || policy.members.addresses.length > 0, {
    message: "a policy needs members: the managers and/or named addresses",
  })
  .refine((policy) => new Set(policy.members.addresses).size === policy.members.addresses.length, {
    message: "member addresses must be distinct",
  });
export type ApprovalPolicy = z.output<typeof ApprovalPolicy>;

/** One stored version; `policy: null` is a removal (no approvals from then on). */
export const ApprovalPolicyVersion = z.object({
  version: z.number().int().min(1),
  policy: ApprovalPolicy.nullable(),
  signed_by: Address,
  signature: Hex,
  created_at: IsoDateTime,
  /** Chained per vault like the session-key history (`lib/defix/audit-chain.ts`). */
  hash: z.string(),
});
export type ApprovalPolicyVersion = z.infer<typeof ApprovalPolicyVersion>;

/** `GET /defix/vaults/{vault_id}/approval-policy`: the policy in force and every version, newest first. */
export const ApprovalPolicyState = z.object({
  vault_id: z.string(),
  /** 0 before the first version. */
  version: z.number().int().min(0),
  policy: ApprovalPolicy.nullable(),
  /** The chain head the next version must name (`previous_hash`), 64 zeros before the first. */
  head_hash: z.string(),
  history: z.array(ApprovalPolicyVersion),
});
export type ApprovalPolicyState = z.infer<typeof ApprovalPolicyState>;

/** `PUT …/approval-policy`: the primary manager's EIP-712 signature over exactly this version. */
export const PutApprovalPolicyRequest = z.strictObject({
  policy: ApprovalPolicy.nullable(),
  version: z.number().int().min(1),
  signer: Address,
  signature: Hex.refine((hex) => hex.length <= 2 + 2 * 4096, "signature too long"),
});
export type PutApprovalPolicyRequest = z.input<typeof PutApprovalPolicyRequest>;
export type PutApprovalPolicy = z.output<typeof PutApprovalPolicyRequest>;

/** `POST /defix/intents/{id}/approvals` and `…/rejections`. */
export const ApprovalDecisionRequest = z.strictObject({
  member: Address,
  signature: Hex.refine((hex) => hex.length <= 2 + 2 * 4096, "signature too long"),
});
export type ApprovalDecisionRequest = z.input<typeof ApprovalDecisionRequest>;

export const ApprovalDecision = z.enum(["approve", "reject"]);
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const APPROVALS_EIP712_NAME = "DeFiX Approvals";
export const APPROVALS_EIP712_VERSION = "1";

/** The domain names the vault as verifying contract, so a signature is bound to one vault on one chain. */
export function approvalsDomain(vaultId: string) {
  const [chain, address] = VaultId.parse(vaultId).split(":");
  return {
    name: APPROVALS_EIP712_NAME,
    version: APPROVALS_EIP712_VERSION,
    chainId: Number(chain),
    verifyingContract: address as `0x${string}`,
  } as const;
}

export const INTENT_DECISION_TYPES = {
  IntentDecision: [
    { name: "decision", type: "string" },
    { name: "intentId", type: "string" },
    { name: "vaultId", type: "string" },
    { name: "action", type: "string" },
    { name: "size", type: "uint256" },
    { name: "sizeBlock", type: "uint256" },
    { name: "configHash", type: "bytes32" },
    { name: "policyVersion", type: "uint256" },
  ],
} as const;

export const IntentDecisionFacts = z.object({
  id: IntentId,
  vault_id: z.string(),
  action: IntentAction,
  config_hash: z.string(),
  authorization: Authorization,
});

/** What a member signs to approve or reject an intent (pass to viem's signTypedData). */
export function intentDecisionTypedData(decision: ApprovalDecision, intent: z.input<typeof IntentDecisionFacts>) {
  return {
    domain: approvalsDomain(intent.vault_id),
    types: INTENT_DECISION_TYPES,
    primaryType: "IntentDecision" as const,
    message: {
      decision,
      intentId: intent.id,
      vaultId: intent.vault_id,
      action: intent.action,
      size: BigInt(intent.authorization.size),
      sizeBlock: BigInt(intent.authorization.size_block),
      configHash: intent.config_hash as `0x${string}`,
      policyVersion: BigInt(intent.authorization.policy_version),
    },
  };
}

export const SET_APPROVAL_POLICY_TYPES = {
  SetApprovalPolicy: [
    { name: "vaultId", type: "string" },
    { name: "version", type: "uint256" },
    { name: "previousHash", type: "bytes32" },
    { name: "policyHash", type: "bytes32" },
  ],
} as const;

/** keccak256 of the policy's canonical JSON (`null` for a removal). */
export const approvalPolicyHash = (policy: ApprovalPolicy | null): `0x${string}` =>
  keccak256(toHex(canonicalJson(policy)));

/** What the primary manager signs to set version `version` after the chain head `previousHash`. */
export function approvalPolicyTypedData(
  vaultId: string,
  version: number,
  previousHash: string,
  policy: ApprovalPolicy | null,
) {
  return {
    domain: approvalsDomain(vaultId),
    types: SET_APPROVAL_POLICY_TYPES,
    primaryType: "SetApprovalPolicy" as const,
    message: {
      vaultId: VaultId.parse(vaultId),
      version: BigInt(version),
      previousHash: `0x${previousHash}` as `0x${string}`,
      policyHash: approvalPolicyHash(policy),
    },
  };
}
