import { encodeFunctionData } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAssetAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { Intent, IntentEvent } from "../../lib/defix";
import {
  type ApprovalDecision,
  type ApprovalPolicy,
  type ApprovalPolicyState,
  approvalPolicyTypedData,
  intentDecisionTypedData,
} from "../../lib/defix/approvals";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { verifyAudit } from "../../scripts/audit/verify";
import { submission } from "../domain/test-support/intents";
import { DIALECTS } from "../store/test-support/databases";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

const PRIMARY = devAccount(1);
const SECONDARY = devAccount(2);
const VIEWER = devAccount(3);
const NAMED = devAccount(4);
const OUTSIDER = devAccount(5);
const LARGE = 2_000_000n;

/** 2-of-3: the managers of the vault (primary + secondary) and one named address; deposits above 2 dUSD. */
const POLICY: ApprovalPolicy = {
  display_name: "Large moves",
  rules: [{ kind: "size_above", threshold: LARGE.toString() }],
  members: { managers: true, addresses: [NAMED.address.toLowerCase() as `0x${string}`] },
  threshold: 2,
  tolerance_bps: 100,
};

describe.each(DIALECTS)("approval policies and quorum approvals on %s", (dialect) => {
  let w: OmsWorld;
  let alpha: ManifestVault;
  let sizeSeq = 0;

  const json = async (sub: string) => ({ ...(await w.bearer(sub)), "content-type": "application/json" });
  const policyUrl = () => `${w.baseUrl}/defix/vaults/${alpha.vault_id}/approval-policy`;
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
      approvalPolicyTypedData(alpha.vault_id, version, state.head_hash, policy),
    );
    const body = { policy, version, signer: signer.address, signature };
    return fetch(policyUrl(), { method: "PUT", headers: await json(caller), body: JSON.stringify(body) });
  }

  /** A deposit of a size no other test used (a fresh config hash), as submitted by the primary manager. */
  async function submit(size: bigint, ttlSeconds = 600): Promise<Intent> {
    sizeSeq += 1;
    const body = submission(w.manifest, alpha, {
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

  beforeAll(async () => {
    w = await startOmsWorld(dialect);
    alpha = w.manifest.vaults.find((vault) => vault.symbol === "svALPHA") as ManifestVault;
    const base = `/defix/vaults/${alpha.vault_id}/session-key`;
    const grant = await fetch(`${w.baseUrl}${base}/grant`, { headers: await w.bearer(PRIMARY.address) });
    await w.sendAs(1, await grant.json());
    await poll(async () => {
      const res = await fetch(`${w.baseUrl}${base}/readiness`, { headers: await w.bearer(VIEWER.address) });
      return ((await res.json()) as { is_ready: boolean }).is_ready || null;
    }, "readiness");
  }, 120_000);
  afterAll(async () => {
    await w?.stop();
  });

  it("only the primary manager sets the policy, signed, once per version; everyone with a role reads its history", async () => {
    expect((await readPolicy()).version).toBe(0);
    const bySecondary = await putPolicy(POLICY, SECONDARY, SECONDARY.address);
    expect(bySecondary.status).toBe(403);
    const signedByOther = await putPolicy(POLICY, SECONDARY, PRIMARY.address);
    expect(await errorCode(signedByOther)).toBe("FORBIDDEN");
    const impossible = await putPolicy({ ...POLICY, threshold: 4 });
    expect(await errorCode(impossible)).toBe("APPROVAL_POLICY_INVALID");
    const ok = await putPolicy(POLICY);
    expect(ok.status).toBe(200);
    const state = (await ok.json()) as ApprovalPolicyState;
    expect(state.version).toBe(1);
    expect(state.history[0]?.signed_by).toBe(PRIMARY.address.toLowerCase());
    // The same signed body again (a replay) names a version that is no longer next.
    const signature = await PRIMARY.signTypedData(approvalPolicyTypedData(alpha.vault_id, 1, "0".repeat(64), POLICY));
    const replay = await fetch(policyUrl(), {
      method: "PUT",
      headers: await json(PRIMARY.address),
      body: JSON.stringify({ policy: POLICY, version: 1, signer: PRIMARY.address, signature }),
    });
    expect(await errorCode(replay)).toBe("VERSION_CONFLICT");
  });

  it("a small intent runs without approval; a large one waits in RECEIVED and executes once at 2 of 3", async () => {
    const small = await submit(1_000_000n);
    expect((await settled(small.id, (i) => i.state === "COMPLETED", "small COMPLETED")).approval_status).toBe(
      "not_required",
    );
    const large = await submit(3_000_000n);
    const waiting = await settled(large.id, (i) => i.approval_status === "pending", "pending");
    expect(waiting.state).toBe("RECEIVED");
    expect(waiting.authorization?.policy_version).toBe(1);
    expect(waiting.authorization?.members.map((m) => m.type)).toEqual(["manager", "manager", "address"]);
    const other = await submit(3_000_000n);
    const otherWaiting = await settled(other.id, (i) => i.approval_status === "pending", "other pending");

    // A non-member's signature, a signature for another intent, and a replay are refused.
    const outsider = await decide(waiting, "approve", OUTSIDER, { caller: PRIMARY.address });
    expect(await errorCode(outsider)).toBe("NOT_APPROVAL_MEMBER");
    const forOther = await decide(waiting, "approve", PRIMARY, { signed: otherWaiting });
    expect(await errorCode(forOther)).toBe("APPROVAL_SIGNATURE_INVALID");
    const first = await decide(waiting, "approve", PRIMARY);
    expect(first.status).toBe(200);
    expect(((await first.json()) as Intent).approval_status).toBe("pending");
    const replay = await decide(waiting, "approve", PRIMARY);
    expect(await errorCode(replay)).toBe("APPROVAL_ALREADY_SIGNED");

    // The named member (no role on the vault) signs the second: the threshold moves it on.
    const second = await decide(waiting, "approve", NAMED);
    expect(second.status).toBe(200);
    const done = await settled(large.id, (i) => i.state === "COMPLETED", "large COMPLETED");
    expect(done.approval_status).toBe("approved");
    expect(done.authorization?.members.filter((m) => m.signed_at !== null)).toHaveLength(2);
    const types = (await events(large.id)).map((e) => e.message_type);
    expect(types.filter((t) => t === "APPROVAL_SIGNED")).toHaveLength(2);
    expect(types.filter((t) => t === "INTENT_ACKED")).toHaveLength(1);
    expect(types.filter((t) => t === "TX_SIGNED")).toHaveLength(1);

    const rejected = await decide(otherWaiting, "reject", SECONDARY);
    expect(rejected.status).toBe(200);
    const canceled = await getIntent(other.id);
    expect(canceled.state).toBe("CANCELED");
    expect(canceled.error?.code).toBe("REJECTED_BY_QUORUM");
    expect(canceled.approval_status).toBe("rejected");
  });

  it("three members approving at once meet the threshold exactly once", async () => {
    const intent = await settled((await submit(3_100_000n)).id, (i) => i.approval_status === "pending", "pending");
    const answers = await Promise.all([
      decide(intent, "approve", PRIMARY),
      decide(intent, "approve", SECONDARY),
      decide(intent, "approve", NAMED),
    ]);
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([200, 200, 409]);
    const done = await settled(intent.id, (i) => i.state === "COMPLETED", "COMPLETED");
    expect(done.authorization?.members.filter((m) => m.signed_at !== null)).toHaveLength(2);
    const types = (await events(intent.id)).map((e) => e.message_type);
    expect(types.filter((t) => t === "APPROVAL_SIGNED")).toHaveLength(2);
    expect(types.filter((t) => t === "INTENT_ACKED")).toHaveLength(1);
    expect(types.filter((t) => t === "INTENT_EXECUTING")).toHaveLength(1);
  });

  it("an intent not approved before its deadline expires with APPROVAL_TIMEOUT", async () => {
    const intent = await submit(3_200_000n, 3);
    const expired = await settled(intent.id, (i) => i.state === "EXPIRED", "EXPIRED");
    expect(expired.error?.code).toBe("APPROVAL_TIMEOUT");
    expect(expired.approval_status).toBe("expired");
  });

  it("the history filters by approval_status; service tokens never decide", async () => {
    const res = await fetch(`${w.baseUrl}/defix/intents?vault_id=${alpha.vault_id}&approval_status=rejected`, {
      headers: await w.bearer(VIEWER.address),
    });
    const list = (await res.json()) as { data: Intent[] };
    expect(list.data.length).toBeGreaterThan(0);
    expect(list.data.every((i) => i.approval_status === "rejected")).toBe(true);
    const intent = await settled((await submit(3_300_000n)).id, (i) => i.approval_status === "pending", "pending");
    const signature = await PRIMARY.signTypedData(intentDecisionTypedData("approve", intent as never));
    const bySvc = await fetch(`${w.baseUrl}/defix/intents/${intent.id}/approvals`, {
      method: "POST",
      headers: {
        ...(await w.bearer("svc:strategy-runner", { svc_vaults: [alpha.vault_id] })),
        "content-type": "application/json",
      },
      body: JSON.stringify({ member: PRIMARY.address, signature }),
    });
    expect(bySvc.status).toBe(403);
    const byOutsider = await decide(intent, "approve", OUTSIDER);
    expect(byOutsider.status).toBe(404);

    // JSON-RPC: approveIntent records the same signature; getIntentStatus shows approval_status.
    const rpc = async (method: string, params: unknown) =>
      (await (
        await fetch(`${w.baseUrl}/rpc`, {
          method: "POST",
          headers: await json(PRIMARY.address),
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        })
      ).json()) as { result?: unknown; error?: { data?: { code?: string } } };
    const approved = await rpc("approveIntent", { intent_id: intent.id, member: PRIMARY.address, signature });
    expect((approved.result as Intent).authorization?.members.filter((m) => m.signed_at !== null)).toHaveLength(1);
    const again = await rpc("approveIntent", { intent_id: intent.id, member: PRIMARY.address, signature });
    expect(again.error?.data?.code).toBe("APPROVAL_ALREADY_SIGNED");
    const status = await rpc("getIntentStatus", [intent.id]);
    expect((status.result as Array<{ approval_status: string }>)[0]?.approval_status).toBe("pending");
  });

  it("a size that drifted beyond the tolerance is not approved on the old figure: the quorum is asked again", async () => {
    const mint = async (amount: bigint) =>
      w.sendAs(0, {
        to: w.manifest.contracts.asset.address,
        data: encodeFunctionData({
          abi: devAssetAbi,
          functionName: "mint",
          args: [alpha.address as `0x${string}`, amount],
        }),
        value: "0",
      });
    const body = submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr: "vault_free_assets / 2" });
    const res = await fetch(`${w.baseUrl}/defix/intents`, {
      method: "POST",
      headers: await json(PRIMARY.address),
      body: JSON.stringify(body),
    });
    const intent = await settled(((await res.json()) as Intent).id, (i) => i.approval_status === "pending", "pending");
    const asked = BigInt(intent.authorization?.size ?? "0");
    // Double the idle assets' half: the size moves by +50 %, far beyond the 1 % tolerance.
    await mint(asked);
    const stale = await decide(intent, "approve", PRIMARY);
    expect(await errorCode(stale)).toBe("APPROVAL_SIZE_CHANGED");
    const again = await getIntent(intent.id);
    expect(again.approval_status).toBe("pending");
    expect(BigInt(again.authorization?.size ?? "0")).toBeGreaterThan((asked * 14n) / 10n);
    expect(again.authorization?.members.every((m) => m.signed_at === null)).toBe(true);
    expect((await decide(again, "approve", PRIMARY)).status).toBe(200);
    expect((await decide(again, "approve", NAMED)).status).toBe(200);
    const done = await settled(intent.id, (i) => i.state === "COMPLETED", "COMPLETED");
    expect(done.size).toBe(again.authorization?.size);
  });

  it("a contract wallet member (ERC-1271) approves with its owner's signature", async () => {
    // The dev world's contract wallet (ERC-1271), owned by manager one.
    const treasury = w.manifest.contracts.contract_wallets?.[0];
    if (treasury === undefined) throw new Error("the dev world has no contract wallet");
    expect(treasury.owner).toBe(PRIMARY.address.toLowerCase());
    const wallet = treasury.address;
    const walletPolicy: ApprovalPolicy = {
      ...POLICY,
      display_name: "Treasury wallet",
      members: { managers: false, addresses: [wallet.toLowerCase() as `0x${string}`] },
      threshold: 1,
    };
    expect((await putPolicy(walletPolicy)).status).toBe(200);
    const intent = await settled((await submit(3_500_000n)).id, (i) => i.approval_status === "pending", "pending");
    expect(intent.authorization?.members).toEqual([
      { type: "address", address: wallet.toLowerCase(), signed_at: null },
    ]);
    // Someone else's signature for the wallet does not verify; its owner's does.
    const forged = await decide(intent, "approve", OUTSIDER, { caller: PRIMARY.address, member: wallet });
    expect(await errorCode(forged)).toBe("APPROVAL_SIGNATURE_INVALID");
    const approved = await decide(intent, "approve", PRIMARY, { member: wallet });
    expect(approved.status).toBe(200);
    const done = await settled(intent.id, (i) => i.state === "COMPLETED", "COMPLETED");
    expect(done.authorization?.members[0]?.signed_at).not.toBeNull();
    expect((await putPolicy(POLICY)).status).toBe(200);
  });

  it("a manager removed since the intent started waiting is refused", async () => {
    const intent = await settled((await submit(3_400_000n)).id, (i) => i.approval_status === "pending", "pending");
    await w.sendAs(1, {
      to: w.manifest.contracts.registry,
      data: encodeFunctionData({
        abi: vaultRegistryAbi,
        functionName: "removeSecondaryManager",
        args: [alpha.address as `0x${string}`, SECONDARY.address],
      }),
      value: "0",
    });
    const removed = await decide(intent, "approve", SECONDARY);
    expect(await errorCode(removed)).toBe("NOT_APPROVAL_MEMBER");
  });

  it("the vault's audit export carries every policy version, chained, and verifies", async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const res = await fetch(`${w.baseUrl}/defix/vaults/${alpha.vault_id}/audit?from=${from}`, {
      headers: await w.bearer(VIEWER.address),
    });
    const text = await res.text();
    expect(verifyAudit(text).failure).toBeUndefined();
    const versions = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { kind: string; data: { version?: number } })
      .filter((record) => record.kind === "policy_version")
      .map((record) => record.data.version);
    expect(versions).toEqual([1, 2, 3]);
    const approvals = text.split("\n").filter((line) => line.includes('"message_type":"APPROVAL_SIGNED"'));
    expect(approvals.length).toBeGreaterThan(0);
    // A changed policy version breaks verification.
    const tampered = text.replace('"display_name":"Treasury wallet"', '"display_name":"Treasury walleT"');
    expect(tampered).not.toBe(text);
    expect(verifyAudit(tampered).ok).toBe(false);
  });
});
