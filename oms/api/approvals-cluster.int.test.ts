import { encodeFunctionData } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devAssetAbi } from "../../contracts/generated/abis";
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
import type { Oms } from "../app";
import { submission } from "../domain/test-support/intents";
import type { Workers } from "../engine/workers";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

const PRIMARY = devAccount(1);
const SECONDARY = devAccount(2);
const VIEWER = devAccount(3);
const NAMED = devAccount(4);

/** 2-of-3 (the vault's two managers and one named address) for deposits above 2 dUSD; 1 % tolerance. */
const POLICY: ApprovalPolicy = {
  display_name: "Large moves",
  rules: [{ kind: "size_above", threshold: "2000000" }],
  members: { managers: true, addresses: [NAMED.address.toLowerCase() as `0x${string}`] },
  threshold: 2,
  tolerance_bps: 100,
};

/**
 * Several OMS processes share one PostgreSQL database (SQLite serves one process): an approval may reach any of
 * them, and any of their workers may drive the intent afterwards. Both processes here run without background
 * workers; each test starts the ones it needs, so the planning-time drift can be set up between ACK and plan.
 */
describe("approvals across two OMS processes on one PostgreSQL database", () => {
  let w: OmsWorld;
  let second: { oms: Oms; baseUrl: string };
  let alpha: ManifestVault;
  let sizeSeq = 0;

  const json = async (sub: string) => ({ ...(await w.bearer(sub)), "content-type": "application/json" });
  const read = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${w.baseUrl}${path}`, { headers: await w.bearer(VIEWER.address) })).json()) as T;
  const getIntent = (id: string) => read<Intent>(`/defix/intents/${id}`);
  const messageTypes = async (id: string) =>
    (await read<{ events: IntentEvent[] }>(`/defix/intents/${id}/events?limit=500`)).events.map((e) => e.message_type);
  const settled = (id: string, test: (intent: Intent) => boolean, what: string) =>
    poll(async () => {
      const intent = await getIntent(id);
      return test(intent) ? intent : null;
    }, what);
  const workersOn = (...instances: Oms[]): Workers[] =>
    instances.map((instance) => instance.intents.startWorkers({ count: 2, leaseMs: 5_000, pollIntervalMs: 50 }));
  const stopAll = (workers: Workers[]) => Promise.all(workers.map((worker) => worker.stop()));

  async function submit(sizeExpr: string): Promise<Intent> {
    const body = submission(w.manifest, alpha, { action: "DEPOSIT", sizeExpr });
    const res = await fetch(`${w.baseUrl}/defix/intents`, {
      method: "POST",
      headers: await json(PRIMARY.address),
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Intent;
  }

  /** A member's signed decision, posted to the OMS process at `baseUrl`. */
  async function decide(
    baseUrl: string,
    intent: Intent,
    signer: typeof PRIMARY,
    decision: ApprovalDecision = "approve",
  ) {
    const signature = await signer.signTypedData(intentDecisionTypedData(decision, intent as never));
    return fetch(`${baseUrl}/defix/intents/${intent.id}/${decision === "approve" ? "approvals" : "rejections"}`, {
      method: "POST",
      headers: await json(signer.address),
      body: JSON.stringify({ member: signer.address, signature }),
    });
  }

  beforeAll(async () => {
    w = await startOmsWorld("postgres", { OMS_WORKERS: "0" });
    second = await w.startSibling();
    alpha = w.manifest.vaults.find((vault) => vault.symbol === "svALPHA") as ManifestVault;
    const base = `/defix/vaults/${alpha.vault_id}/session-key`;
    const grant = await fetch(`${w.baseUrl}${base}/grant`, { headers: await w.bearer(PRIMARY.address) });
    await w.sendAs(1, await grant.json());
    await poll(async () => (await read<{ is_ready: boolean }>(`${base}/readiness`)).is_ready || null, "readiness");
    const state = await read<ApprovalPolicyState>(`/defix/vaults/${alpha.vault_id}/approval-policy`);
    const signature = await PRIMARY.signTypedData(
      approvalPolicyTypedData(alpha.vault_id, state.version + 1, state.head_hash, POLICY),
    );
    const put = await fetch(`${w.baseUrl}/defix/vaults/${alpha.vault_id}/approval-policy`, {
      method: "PUT",
      headers: await json(PRIMARY.address),
      body: JSON.stringify({ policy: POLICY, version: state.version + 1, signer: PRIMARY.address, signature }),
    });
    expect(put.status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await w?.stop();
  });

  it("members approving at once through different processes meet the threshold once: one ACK, one execution", async () => {
    const workers = workersOn(w.oms, second.oms);
    try {
      const cases = [
        { members: [PRIMARY, SECONDARY], answers: [200, 200] },
        { members: [SECONDARY, NAMED], answers: [200, 200] },
        { members: [PRIMARY, SECONDARY, NAMED], answers: [200, 200, 409] },
      ];
      const ids = await Promise.all(
        cases.map(async ({ members, answers }) => {
          sizeSeq += 1;
          const submitted = await submit(String(3_000_000n + BigInt(sizeSeq)));
          const intent = await settled(submitted.id, (i) => i.approval_status === "pending", "pending");
          // Alternate processes, so each pair of signatures lands on both of them at once.
          const sent = await Promise.all(
            members.map((member, i) => decide(i % 2 === 0 ? w.baseUrl : second.baseUrl, intent, member)),
          );
          expect(sent.map((res) => res.status).sort()).toEqual(answers);
          return intent.id;
        }),
      );
      for (const id of ids) {
        const done = await settled(id, (i) => i.state === "COMPLETED", "COMPLETED");
        expect(done.approval_status).toBe("approved");
        expect(done.authorization?.members.filter((m) => m.signed_at !== null)).toHaveLength(2);
        const types = await messageTypes(id);
        expect(types.filter((t) => t === "APPROVAL_SIGNED")).toHaveLength(2);
        expect(types.filter((t) => t === "INTENT_ACKED")).toHaveLength(1);
        expect(types.filter((t) => t === "INTENT_EXECUTING")).toHaveLength(1);
        expect(types.filter((t) => t === "TX_SIGNED")).toHaveLength(1);
      }
    } finally {
      await stopAll(workers);
    }
  });

  it("a size that drifts after approval is caught at planning: the intent waits for the quorum again", async () => {
    let workers = workersOn(w.oms, second.oms);
    const submitted = await submit("vault_free_assets / 2");
    const pending = await settled(submitted.id, (i) => i.approval_status === "pending", "pending");
    const approved = BigInt(pending.authorization?.size ?? "0");
    // Nobody plans while the quorum signs and the vault's idle assets grow by half.
    await stopAll(workers);
    expect((await decide(w.baseUrl, pending, PRIMARY)).status).toBe(200);
    expect((await decide(second.baseUrl, pending, NAMED)).status).toBe(200);
    expect(await getIntent(pending.id)).toMatchObject({ state: "ACKED", approval_status: "approved" });
    await w.sendAs(0, {
      to: w.manifest.contracts.asset.address,
      data: encodeFunctionData({
        abi: devAssetAbi,
        functionName: "mint",
        args: [alpha.address as `0x${string}`, approved],
      }),
      value: "0",
    });

    workers = workersOn(w.oms, second.oms);
    try {
      const repended = await settled(pending.id, (i) => i.approval_status === "pending", "pending again");
      expect(repended.state).toBe("STAGED");
      const resized = BigInt(repended.authorization?.size ?? "0");
      expect(resized).toBeGreaterThan((approved * 14n) / 10n);
      expect(repended.authorization?.members.every((m) => m.signed_at === null)).toBe(true);
      const types = await messageTypes(pending.id);
      expect(types).not.toContain("INTENT_PLANNED");
      expect(types.filter((t) => t === "WAITING")).toHaveLength(2);
      // The old signatures do not carry it: the quorum signs the new size, then it executes at that size.
      expect((await decide(second.baseUrl, repended, SECONDARY)).status).toBe(200);
      expect((await decide(w.baseUrl, repended, PRIMARY)).status).toBe(200);
      const done = await settled(pending.id, (i) => i.state === "COMPLETED", "COMPLETED");
      expect(BigInt(done.size ?? "0")).toBe(resized);
      expect((await messageTypes(pending.id)).filter((t) => t === "TX_SIGNED")).toHaveLength(1);
    } finally {
      await stopAll(workers);
    }
  });
});
