import { beforeAll, expect } from "vitest";
import { devAccount } from "../../../lib/chain/dev-accounts";
import type { Intent, IntentEvent } from "../../../lib/defix";
import {
  type ApprovalDecision,
  type ApprovalPolicy,
  type ApprovalPolicyState,
  approvalPolicyTypedData,
  intentDecisionTypedData,
} from "../../../lib/defix/approvals";
import { submission } from "../../domain/test-support/intents";
import { grantSessionKey, vaultBySymbol } from "./oms-suite";
import { type OmsWorld, poll } from "./oms-world";

export const PRIMARY = devAccount(1);
export const SECONDARY = devAccount(2);
export const VIEWER = devAccount(3);
export const NAMED = devAccount(4);
export const OUTSIDER = devAccount(5);
const LARGE = 2_000_000n;

/** 2-of-3: the managers of the vault (primary + secondary) and one named address; deposits above 2 dUSD. */
export const POLICY: ApprovalPolicy = {
  display_name: "Large moves",
  rules: [{ kind: "size_above", threshold: LARGE.toString() }],
  members: { managers: true, addresses: [NAMED.address.toLowerCase() as `0x${string}`] },
  threshold: 2,
  tolerance_bps: 100,
};

/**
 * For a describe block over `w`: grants ALPHA's session key before its tests, so its intents can run, and returns
 * what the approval tests do on ALPHA's policy and intents over HTTP, as the caller each step names.
 */
export function approvalSuite(w: OmsWorld) {
  const alpha = () => vaultBySymbol(w, "svALPHA");
  let sizeSeq = 0;
  beforeAll(() => grantSessionKey(w, alpha()), 120_000);

  const json = async (sub: string) => ({ ...(await w.bearer(sub)), "content-type": "application/json" });
  const policyUrl = () => `${w.baseUrl}/defix/vaults/${alpha().vault_id}/approval-policy`;
  const readPolicy = async () =>
    (await (await fetch(policyUrl(), { headers: await w.bearer(VIEWER.address) })).json()) as ApprovalPolicyState;
  const getIntent = async (id: string) =>
    (await (
      await fetch(`${w.baseUrl}/defix/intents/${id}`, { headers: await w.bearer(VIEWER.address) })
    ).json()) as Intent;
  const events = async (id: string) =>
    (
      (await (
        await fetch(`${w.baseUrl}/defix/intents/${id}/events`, { headers: await w.bearer(VIEWER.address) })
      ).json()) as { events: IntentEvent[] }
    ).events;

  async function putPolicy(policy: ApprovalPolicy | null, signer = PRIMARY, caller = PRIMARY.address) {
    const state = await readPolicy();
    const version = state.version + 1;
    const signature = await signer.signTypedData(
      approvalPolicyTypedData(alpha().vault_id, version, state.head_hash, policy),
    );
    const body = { policy, version, signer: signer.address, signature };
    return fetch(policyUrl(), { method: "PUT", headers: await json(caller), body: JSON.stringify(body) });
  }

  /** A deposit of a size no other test used (a fresh config hash), as submitted by the primary manager. */
  async function submit(size: bigint, ttlSeconds = 600): Promise<Intent> {
    sizeSeq += 1;
    const body = submission(w.manifest, alpha(), {
      action: "DEPOSIT",
      sizeExpr: String(size + BigInt(sizeSeq)),
      ttlSeconds,
    });
    const res = await fetch(`${w.baseUrl}/defix/intents`, {
      method: "POST",
      headers: await json(PRIMARY.address),
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Intent;
  }

  const settled = (id: string, test: (intent: Intent) => boolean, what: string) =>
    poll(async () => {
      const intent = await getIntent(id);
      return test(intent) ? intent : null;
    }, what);

  async function decide(
    intent: Intent,
    decision: ApprovalDecision,
    signer: ReturnType<typeof devAccount>,
    options: { caller?: string; member?: string; signed?: Intent } = {},
  ) {
    const signedFor = options.signed ?? intent;
    const signature = await signer.signTypedData(
      intentDecisionTypedData(decision, { ...signedFor, authorization: signedFor.authorization ?? undefined } as never),
    );
    const path = decision === "approve" ? "approvals" : "rejections";
    return fetch(`${w.baseUrl}/defix/intents/${intent.id}/${path}`, {
      method: "POST",
      headers: await json(options.caller ?? signer.address),
      body: JSON.stringify({ member: options.member ?? signer.address, signature }),
    });
  }

  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  return { json, policyUrl, readPolicy, getIntent, events, putPolicy, submit, settled, decide, errorCode };
}
