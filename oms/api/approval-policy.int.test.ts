import { beforeAll, expect, it } from "vitest";
import { type ApprovalPolicy, type ApprovalPolicyState, approvalPolicyTypedData } from "../../lib/defix/approvals";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { verifyAudit } from "../../scripts/audit/verify";
import { approvalSuite, OUTSIDER, POLICY, PRIMARY, SECONDARY, VIEWER } from "./test-support/approval-suite";
import { describeOmsWorlds, vaultBySymbol } from "./test-support/oms-suite";

/**
 * ALPHA's approval policy: who may set it and how (signed, once per version), a policy whose one member is a
 * contract wallet, and the audit export that carries every version the tests before it set (1, 2 and 3).
 */
describeOmsWorlds("approval policies", (w) => {
  const { json, policyUrl, readPolicy, putPolicy, submit, settled, decide, errorCode } = approvalSuite(w);
  let alpha: ManifestVault;

  beforeAll(() => {
    alpha = vaultBySymbol(w, "svALPHA");
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
