import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../bench/lib/database";
import { runAuthMatrix } from "./auth-matrix";
import { runFuzz } from "./fuzz";
import { startTarget, type Target } from "./lib/target";

describe.each(DIALECTS)("OMS API under hostile input and across vaults (%s)", (dialect) => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget(dialect);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it("answers generated malformed requests without 5xx and without writing rows for rejected ones", async () => {
    const report = await runFuzz(target, { runs: dialect === "sqlite" ? 300 : 200, seed: 8_008 });
    expect(report.failures).toEqual([]);
    // The generator must reach handlers, not only the auth hook.
    expect(Object.keys(report.byStatus)).toEqual(expect.arrayContaining(["200", "400", "401"]));
    // Every operation of the document is tried, the approval decisions and the policy among them (issue 15).
    expect(Object.values(report.byOperation).filter((count) => count === 0)).toEqual([]);
    const approvalOperations = Object.keys(report.byOperation).filter((op) => /approval|rejections/.test(op));
    expect(approvalOperations.sort()).toEqual([
      "GET /defix/vaults/{vaultId}/approval-policy",
      "POST /defix/intents/{id}/approvals",
      "POST /defix/intents/{id}/rejections",
      "PUT /defix/vaults/{vaultId}/approval-policy",
    ]);
  });

  it("refuses every cross-vault call and leaks no other vault in lists", async () => {
    const { cells, leaks } = await runAuthMatrix(target);
    expect(cells.filter((cell) => !cell.isCorrect)).toEqual([]);
    expect(leaks).toEqual([]);
    expect(cells.filter((cell) => !cell.isAllowed).length).toBeGreaterThan(100);
  });
});
