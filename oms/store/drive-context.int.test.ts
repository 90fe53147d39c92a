import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ApprovalPolicy } from "../../lib/defix/approvals";
import { GENESIS_HASH } from "../../lib/defix/audit-chain";
import type { Refinement } from "../../lib/defix/refinements";
import { appendPolicyVersion } from "./approval-policies-repo";
import type { Db } from "./db";
import { readDriveContexts } from "./drive-context";
import { commitTransition } from "./intents-repo";
import { DIALECTS, withTestDatabase } from "./test-support/databases";
import { receivedIntent, receivedPayload } from "./test-support/fixtures";

const VAULT = receivedPayload().vault_id;
const SIGNER = "0x00000000000000000000000000000000000000ee";
const policy = (name: string): ApprovalPolicy => ({
  display_name: name,
  rules: [{ kind: "always" }],
  members: { managers: true, addresses: [] },
  threshold: 1,
  tolerance_bps: 0,
});

function refinementFor(intentId: string): Refinement {
  const at = new Date().toISOString();
  return {
    refinement_id: randomUUID(),
    vault_id: VAULT,
    action: "DEPOSIT",
    config_hash: `0x${"22".repeat(32)}`,
    requested_by: SIGNER,
    block_number: 7,
    created_at: at,
    expires_at: at,
    outcome: "FAILED",
    size: null,
    vault_state: null,
    calls: [],
    to: SIGNER,
    calldata: null,
    plan: null,
    gas: null,
    signer: { account_mode: "OMS", session_key_address: null, is_ready: false, readiness_reason: "NO_KEY" },
    error: null,
    intent_id: intentId,
  };
}

/**
 * What claimed intents were submitted under, read for the batch: the policy version in force when each was
 * received (not the newest), the refinement it was submitted with, and nothing for intents already planned.
 */
describe.each(DIALECTS)("readDriveContexts on %s", (dialect) => {
  let handle: Db;
  withTestDatabase(dialect, (opened) => {
    handle = opened;
  });

  it("gives each intent the policy version in force when it was received, and its refinement", async () => {
    const before = await receivedIntent(handle.db, new Date("2026-03-01T00:00:00.000Z"));
    const v1 = await appendPolicyVersion(
      handle.db,
      {
        vault_id: VAULT,
        version: 1,
        policy: JSON.stringify(policy("first")),
        signed_by: SIGNER,
        signature: "0x01",
        created_at: "2026-03-02T00:00:00.000Z",
      },
      GENESIS_HASH,
    );
    const underFirst = await receivedIntent(handle.db, new Date("2026-03-03T00:00:00.000Z"));
    await appendPolicyVersion(
      handle.db,
      {
        vault_id: VAULT,
        version: 2,
        policy: JSON.stringify(policy("second")),
        signed_by: SIGNER,
        signature: "0x02",
        created_at: "2026-03-04T00:00:00.000Z",
      },
      v1?.hash ?? "",
    );
    const underSecond = await receivedIntent(handle.db, new Date("2026-03-05T00:00:00.000Z"));
    const refined = refinementFor(underSecond.id);
    await handle.db
      .insertInto("refinements")
      .values({
        id: refined.refinement_id,
        vault_id: VAULT,
        requested_by: SIGNER,
        config_hash: refined.config_hash,
        outcome: refined.outcome,
        body: JSON.stringify(refined),
        created_at: refined.created_at,
        expires_at: refined.expires_at,
        intent_id: underSecond.id,
      })
      .execute();
    const planned = await commitTransition(
      handle.db,
      await receivedIntent(handle.db, new Date("2026-03-06T00:00:00.000Z")),
      [{ message_type: "INTENT_ACKED", payload: { root: "0x", hooks: [] } }],
      new Date(),
    );
    const executing = { ...planned.record, state: "EXECUTING" as const };

    const contexts = await readDriveContexts(handle.db, [before, underFirst, underSecond, executing]);
    expect(contexts.get(before.id)).toEqual({ policy: null, refinement: null });
    expect(contexts.get(underFirst.id)?.policy).toMatchObject({ version: 1, policy: { display_name: "first" } });
    expect(contexts.get(underFirst.id)?.refinement).toBeNull();
    expect(contexts.get(underSecond.id)?.policy).toMatchObject({ version: 2, policy: { display_name: "second" } });
    expect(contexts.get(underSecond.id)?.refinement).toEqual(refined);
    expect(contexts.has(executing.id)).toBe(false);
  });
});
