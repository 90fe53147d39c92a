import { encodeFunctionData } from "viem";
import { beforeAll, expect, it } from "vitest";
import { devAssetAbi, vaultRegistryAbi } from "../../contracts/generated/abis";
import type { Intent } from "../../lib/defix";
import { intentDecisionTypedData } from "../../lib/defix/approvals";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import { approvalSuite, NAMED, OUTSIDER, POLICY, PRIMARY, SECONDARY, VIEWER } from "./test-support/approval-suite";
import { describeOmsWorlds, vaultBySymbol } from "./test-support/oms-suite";

/**
 * Quorum approvals under ALPHA's 2-of-3 policy (version 1, set before the tests): approve, reject, race, expire,
 * ask again after the size drifted, refuse a removed manager. The history test counts on the rejection before it.
 */
describeOmsWorlds("quorum approvals", (w) => {
  const { json, getIntent, events, putPolicy, submit, settled, decide, errorCode } = approvalSuite(w);
  let alpha: ManifestVault;

  beforeAll(async () => {
    alpha = vaultBySymbol(w, "svALPHA");
    expect((await putPolicy(POLICY)).status).toBe(200);
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
});
